import { randomUUID } from 'node:crypto';
import type { PendingOrderPurpose, PendingOrderStatus } from '@handover/contracts';
import type { PendingOrderLine } from '@handover/db';
import { activityLogRow, SYSTEM } from '../activity/activity';
import { raiseAlert } from '../alerts/alerts';
import { preparedQuery } from '../database/preparedQuery';
import { formatMoney } from '../money';
import { notificationRow } from '../notifications/outbox';
import { findOrCreateCustomer } from '../orders/customers';
import { type OrderedProduct, placeOrder } from '../orders/placeOrder';
import { creditWallet } from '../wallet/ledger';
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
  products: OrderedProduct[];
}

/**
 * The pending order, locked for the rest of the transaction (concurrent events for it wait
 * their turn), with its lines' products, in one round trip.
 */
async function lockPendingOrder(ctx: EventContext, id: string): Promise<LockedPendingOrder | null> {
  const [row] = await preparedQuery<LockedPendingOrder>(
    ctx.em,
    `select po.id, po.status, po.purpose, po.user_id as "userId", po.email, po.phone, po.items,
            po.amount_minor as "amountMinor", po.currency, po.is_test as "isTest",
            (select coalesce(json_agg(json_build_object(
                      'id', p.id, 'name', p.name, 'fulfillmentDriver', p.fulfillment_driver,
                      'retryPolicy', p.retry_policy, 'requiresReview', p.requires_review)), '[]')
               from products p
              where p.id in (select (line->>'productId')::uuid from jsonb_array_elements(po.items) line)) as products
       from pending_orders po where po.id = ? for update`,
    [id],
  );
  return row ?? null;
}

/**
 * Seed 000 phase 2: the gateway says the customer paid. In the inbox's transaction: the user (made
 * when new), the order, its items, one fulfillment record per item with its job, the payment and
 * the pending order marked `paid`. A second success for a paid pending order changes nothing.
 */
export async function applyPaymentSucceeded(ctx: EventContext, event: PaymentSucceeded): Promise<EventOutcome> {
  const { em } = ctx;
  const refs = { pendingOrderId: event.pendingOrderId, paymentId: event.paymentId };
  if (!isOurReference(event.pendingOrderId)) return ignored('not a Handover checkout', { paymentId: event.paymentId });
  const pending = await lockPendingOrder(ctx, event.pendingOrderId);
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
  return pending.purpose === 'wallet_top_up' ? creditTopUp(ctx, pending, event) : createPaidOrder(ctx, pending, event);
}

/** A free trial's first checkout takes nothing; anything else must be the amount asked for. */
function amountMatches(pending: LockedPendingOrder, event: PaymentSucceeded): boolean {
  if (event.currency.toUpperCase() !== pending.currency.toUpperCase()) return false;
  return event.amountMinor === pending.amountMinor || (event.subscriptionId !== undefined && event.amountMinor === 0);
}

function markPendingPaid(ctx: EventContext, pendingOrderId: string): void {
  ctx.batch.write(
    `update pending_orders set status = 'paid', last_payment_error = null, updated_at = ? where id = ? returning 1`,
    [ctx.now, pendingOrderId],
  );
}

function paymentRow(
  ctx: EventContext,
  event: PaymentSucceeded,
  row: { userId: string; orderId: string | null; subscriptionId: string | null; purpose: 'order' | 'wallet_top_up' },
) {
  return {
    id: randomUUID(),
    order_id: row.orderId,
    user_id: row.userId,
    subscription_id: row.subscriptionId,
    gateway: event.gateway,
    gateway_payment_id: event.paymentId,
    purpose: row.purpose,
    amount_minor: event.amountMinor,
    currency: event.currency.toUpperCase(),
    paid_at: ctx.now,
    created_at: ctx.now,
    updated_at: ctx.now,
  };
}

async function createPaidOrder(
  ctx: EventContext,
  pending: LockedPendingOrder,
  event: PaymentSucceeded,
): Promise<EventOutcome> {
  const { em, batch, now } = ctx;
  const userId = pending.userId ?? (await findOrCreateCustomer(em, pending.email, pending.phone));
  const order = await placeOrder(
    em,
    ctx.registry,
    {
      userId,
      email: pending.email,
      phone: pending.phone,
      lines: pending.items,
      amountMinor: pending.amountMinor,
      currency: pending.currency,
      pendingOrderId: pending.id,
      paymentGateway: event.gateway,
      paymentReference: event.paymentId,
      isTest: pending.isTest,
      paidAt: now,
    },
    batch,
    now,
    pending.products,
  );
  const subscriptionId = event.subscriptionId ? randomUUID() : null;
  if (event.subscriptionId) {
    batch.insert('subscriptions', [
      {
        id: subscriptionId,
        order_id: order.orderId,
        user_id: userId,
        gateway: event.gateway,
        gateway_subscription_id: event.subscriptionId,
        created_at: now,
        updated_at: now,
      },
    ]);
  }
  batch.insert('payments', [
    paymentRow(ctx, event, { userId, orderId: order.orderId, subscriptionId, purpose: 'order' }),
  ]);
  markPendingPaid(ctx, pending.id);
  batch.insert('activity_logs', [
    activityLogRow(
      {
        action: 'order.paid',
        subjectType: 'order',
        subjectId: order.orderId,
        actor: SYSTEM,
        properties: {
          gateway: event.gateway,
          paymentId: event.paymentId,
          eventId: event.eventId,
          amountMinor: event.amountMinor,
          records: order.recordIds.length,
          ...(pending.status !== 'pending_payment' ? { pendingOrderWas: pending.status } : {}),
        },
      },
      now,
    ),
  ]);
  batch.insert('notifications', [
    notificationRow(
      {
        userId,
        type: 'order_status_change',
        title: `Payment received for order ${order.orderCode}`,
        message: order.needsReview
          ? 'Thank you. We review this order before setting it up, and will let you know when that starts.'
          : 'Thank you. We are setting up your order now; follow each step on the order page.',
        data: { orderId: order.orderId },
      },
      now,
    ),
  ]);
  return processed({
    orderId: order.orderId,
    pendingOrderId: pending.id,
    paymentId: event.paymentId,
    isTest: pending.isTest,
    ...(pending.status !== 'pending_payment'
      ? { note: `paid after the checkout was ${pending.status}; the order was created anyway` }
      : {}),
  });
}

async function creditTopUp(
  ctx: EventContext,
  pending: LockedPendingOrder,
  event: PaymentSucceeded,
): Promise<EventOutcome> {
  const { em, batch, now } = ctx;
  const userId = pending.userId;
  if (!userId) throw new Error(`wallet top-up ${pending.id} has no user`);
  const entry = await creditWallet(em, {
    userId,
    currency: pending.currency,
    amountMinor: event.amountMinor,
    reason: 'top_up',
    reference: `top_up:${pending.id}`,
    description: `Top-up through ${event.gateway}`,
  });
  batch.insert('payments', [
    paymentRow(ctx, event, { userId, orderId: null, subscriptionId: null, purpose: 'wallet_top_up' }),
  ]);
  markPendingPaid(ctx, pending.id);
  batch.insert('activity_logs', [
    activityLogRow(
      {
        action: 'wallet.topped_up',
        subjectType: 'user',
        subjectId: userId,
        actor: SYSTEM,
        properties: { gateway: event.gateway, paymentId: event.paymentId, amountMinor: event.amountMinor },
      },
      now,
    ),
  ]);
  batch.insert('notifications', [
    notificationRow(
      {
        userId,
        type: 'wallet_top_up',
        title: 'Wallet topped up',
        message: `${formatMoney(event.amountMinor, pending.currency)} was added; your balance is ${formatMoney(entry.balanceAfterMinor, pending.currency)}.`,
        data: { pendingOrderId: pending.id },
      },
      now,
    ),
  ]);
  return processed({ pendingOrderId: pending.id, paymentId: event.paymentId });
}
