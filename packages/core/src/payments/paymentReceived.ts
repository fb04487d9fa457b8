import { randomUUID } from 'node:crypto';
import type { PendingOrderPurpose, PendingOrderStatus } from '@handover/contracts';
import type { PendingOrderLine } from '@handover/db';
import { findOrCreateCustomer } from '../accounts/customers';
import { raiseAlert } from '../alerts/alerts';
import { preparedQuery } from '../database/preparedQuery';
import type { PaidBasket } from '../events/domainEvents';
import { raise } from '../events/publish';
import { formatMoney } from '../money';
import type { NormalizedPaymentEvent } from './gateway';
import { deferred, type EventContext, type EventOutcome, ignored, isOurReference, processed } from './processing';

type PaymentSucceeded = Extract<NormalizedPaymentEvent, { type: 'payment.succeeded' }>;

interface LockedPendingOrder {
  id: string;
  status: PendingOrderStatus;
  purpose: PendingOrderPurpose;
  userId: string | null;
  email: string;
  phone: string | null;
  items: PendingOrderLine[];
  amountMinor: number;
  currency: string;
  isTest: boolean;
  /** The products of its lines, as they are now. */
  products: PaidBasket['products'];
}

/** A pending order as the payment reads it: its columns, and its lines' products as they are now. */
const PENDING_ORDER = `json_build_object(
    'id', po.id, 'status', po.status, 'purpose', po.purpose, 'userId', po.user_id, 'email', po.email,
    'phone', po.phone, 'items', po.items, 'amountMinor', po.amount_minor, 'currency', po.currency,
    'isTest', po.is_test,
    'products', (select coalesce(json_agg(json_build_object(
                   'id', p.id, 'name', p.name, 'fulfillmentDriver', p.fulfillment_driver,
                   'retryPolicy', p.retry_policy, 'requiresReview', p.requires_review)), '[]')
                   from products p
                  where p.id in (select (line->>'productId')::uuid from jsonb_array_elements(po.items) line)))`;

/**
 * The pending order, locked for the rest of the transaction (concurrent events for it wait
 * their turn), with its lines' products, in one round trip.
 */
async function lockPendingOrder(ctx: EventContext, id: string): Promise<LockedPendingOrder | null> {
  const [row] = await preparedQuery<{ pending: LockedPendingOrder }>(
    ctx.em,
    `select ${PENDING_ORDER} as pending from pending_orders po where po.id = ? for update`,
    [id],
  );
  return row?.pending ?? null;
}

/** What the inbox's claim of a payment read: the pending order, locked, and its customer when known. */
export interface ClaimedCheckout {
  pending: LockedPendingOrder | null;
  /** The pending order's user, or the customer found or made for its email; null when neither applies. */
  customerId: string | null;
}

/**
 * The inbox's claim of a `payment.succeeded` event, as ONE statement: `inbox` (the insert of its
 * inbox row, returning the id when the event is new) and, only then, the pending order locked with
 * its products, and its customer found or made when it checked out as a guest and this payment
 * pays for it. Returns `inboxId` (null for an event already taken), `pending` and `customerId`.
 */
export function claimPaymentSucceeded(
  inbox: { sql: string; params: unknown[] },
  event: PaymentSucceeded,
): { sql: string; params: unknown[] } {
  return {
    sql: `with inbox as (${inbox.sql}),
       po as (select * from pending_orders where id = ? and exists (select 1 from inbox) for update),
       made as (
         insert into users (id, email, phone, role)
         select ?, lower(btrim(po.email)), po.phone, 'customer' from po
          where po.user_id is null and po.purpose = 'order' and po.status <> 'paid'
            and upper(po.currency) = upper(?) and (po.amount_minor = ? or (? and ? = 0))
         on conflict (email) do nothing returning id)
     select (select id from inbox) as "inboxId",
            (select ${PENDING_ORDER} from po) as pending,
            coalesce((select user_id from po), (select id from made),
                     (select u.id from users u join po on u.email = lower(btrim(po.email)))) as "customerId"`,
    params: [
      ...inbox.params,
      event.pendingOrderId,
      randomUUID(),
      event.currency,
      event.amountMinor,
      event.subscriptionId !== undefined,
      event.amountMinor,
    ],
  };
}

/**
 * Seed 000 phase 2: the gateway says the customer paid. In the inbox's transaction: the user (made
 * when new), the payment and the pending order marked `paid`, and what `payment.received`'s
 * listeners make of it (the order with its records and their jobs, or the wallet's credit; the
 * customer's notice). A second success for a paid pending order changes nothing.
 */
export async function applyPaymentSucceeded(
  ctx: EventContext,
  event: PaymentSucceeded,
  /** The pending order and customer the inbox's claim read already (claimPaymentSucceeded). */
  claimed?: ClaimedCheckout,
): Promise<EventOutcome> {
  const { em } = ctx;
  const refs = { pendingOrderId: event.pendingOrderId, paymentId: event.paymentId };
  if (!isOurReference(event.pendingOrderId)) return ignored('not a Handover checkout', { paymentId: event.paymentId });
  const pending = claimed ? claimed.pending : await lockPendingOrder(ctx, event.pendingOrderId);
  if (!pending) return deferred('the pending order does not exist yet', refs);

  if (pending.status === 'paid') {
    const [known] = await em.execute<{ n: number }[]>(
      'select count(*)::int as n from payments where gateway = ? and gateway_payment_id = ?',
      [event.gateway, event.paymentId],
    );
    if (!known?.n) {
      await raiseAlert(em, {
        type: 'duplicate_payment',
        severity: 'critical',
        message: `Checkout ${pending.id} was paid a second time (${event.gateway} ${event.paymentId}); refund the extra payment.`,
        subjectType: 'pending_order',
        subjectId: pending.id,
        data: { gateway: event.gateway, paymentId: event.paymentId, amountMinor: event.amountMinor },
      });
    }
    return ignored('the pending order is already paid', refs);
  }
  if (!amountMatches(pending, event)) {
    await raiseAlert(em, {
      type: 'payment_mismatch',
      severity: 'critical',
      message: `Checkout ${pending.id} expected ${formatMoney(pending.amountMinor, pending.currency)} but ${event.gateway} reports ${formatMoney(event.amountMinor, event.currency.toUpperCase())} (${event.paymentId}).`,
      subjectType: 'pending_order',
      subjectId: pending.id,
      data: { gateway: event.gateway, paymentId: event.paymentId },
    });
    return ignored('the amount or currency paid is not what the checkout asked for', refs);
  }
  return recordPayment(ctx, pending, event, claimed?.customerId ?? null);
}

/** A free trial's first checkout takes nothing; anything else must be the amount asked for. */
function amountMatches(pending: LockedPendingOrder, event: PaymentSucceeded): boolean {
  if (event.currency.toUpperCase() !== pending.currency.toUpperCase()) return false;
  return event.amountMinor === pending.amountMinor || (event.subscriptionId !== undefined && event.amountMinor === 0);
}

/**
 * Records the payment, the subscription it starts and the checkout `paid`, then raises
 * `payment.received`: the order (or the wallet's credit) and the customer's notice are what
 * its listeners make of it, in this same transaction.
 */
async function recordPayment(
  ctx: EventContext,
  pending: LockedPendingOrder,
  event: PaymentSucceeded,
  knownCustomerId: string | null,
): Promise<EventOutcome> {
  const { em, batch, now } = ctx;
  if (pending.purpose === 'wallet_top_up' && !pending.userId)
    throw new Error(`wallet top-up ${pending.id} has no user`);
  const userId = pending.userId ?? knownCustomerId ?? (await findOrCreateCustomer(em, pending.email, pending.phone));
  const orderId = pending.purpose === 'order' ? randomUUID() : null;
  const subscriptionId = event.subscriptionId && orderId ? randomUUID() : null;
  if (event.subscriptionId && subscriptionId) {
    batch.insert('subscriptions', [
      {
        id: subscriptionId,
        order_id: orderId,
        user_id: userId,
        gateway: event.gateway,
        gateway_subscription_id: event.subscriptionId,
        created_at: now,
        updated_at: now,
      },
    ]);
  }
  const paymentId = randomUUID();
  batch.insert('payments', [
    {
      id: paymentId,
      order_id: orderId,
      user_id: userId,
      subscription_id: subscriptionId,
      gateway: event.gateway,
      gateway_payment_id: event.paymentId,
      purpose: pending.purpose,
      amount_minor: event.amountMinor,
      currency: event.currency.toUpperCase(),
      paid_at: now,
      created_at: now,
      updated_at: now,
    },
  ]);
  batch.write(
    `update pending_orders set status = 'paid', last_payment_error = null, updated_at = ? where id = ? returning 1`,
    [now, pending.id],
  );
  await raise(ctx, {
    type: 'payment.received',
    payment: {
      id: paymentId,
      gateway: event.gateway,
      gatewayPaymentId: event.paymentId,
      eventId: event.eventId,
      amountMinor: event.amountMinor,
      currency: event.currency.toUpperCase(),
      subscriptionId,
    },
    checkout: {
      pendingOrderId: pending.id,
      purpose: pending.purpose,
      userId,
      email: pending.email,
      phone: pending.phone,
      amountMinor: pending.amountMinor,
      currency: pending.currency,
      isTest: pending.isTest,
      previousStatus: pending.status,
      orderId,
    },
    basket: { lines: pending.items, products: pending.products },
  });
  const late = pending.status !== 'pending_payment' && orderId;
  return processed({
    orderId,
    pendingOrderId: pending.id,
    paymentId: event.paymentId,
    ...(orderId ? { isTest: pending.isTest } : {}),
    ...(late ? { note: `paid after the checkout was ${pending.status}; the order was created anyway` } : {}),
  });
}
