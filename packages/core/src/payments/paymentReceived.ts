import { Payment, PendingOrder, Subscription, User } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import { recordActivity, SYSTEM } from '../activity/activity';
import { raiseAlert } from '../alerts/alerts';
import { formatMoney } from '../money';
import { notifyInApp } from '../notifications/outbox';
import { findOrCreateCustomer } from '../orders/customers';
import { placeOrder } from '../orders/placeOrder';
import { creditWallet } from '../wallet/ledger';
import type { NormalizedPaymentEvent } from './gateway';
import { deferred, type EventContext, type EventOutcome, ignored, isOurReference, processed } from './processing';

type PaymentSucceeded = Extract<NormalizedPaymentEvent, { type: 'payment.succeeded' }>;

/**
 * Seed 000 phase 2: the gateway says the customer paid. In the inbox's transaction: the user (made
 * when new), the order, its items, one fulfillment record per item with its job, the payment and
 * the pending order marked `paid`. A second success for a paid pending order changes nothing.
 */
export async function applyPaymentSucceeded(ctx: EventContext, event: PaymentSucceeded): Promise<EventOutcome> {
  const { em } = ctx;
  const refs = { pendingOrderId: event.pendingOrderId, paymentId: event.paymentId };
  if (!isOurReference(event.pendingOrderId)) return ignored('not a Handover checkout', { paymentId: event.paymentId });
  const pending = await em.findOne(PendingOrder, event.pendingOrderId, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!pending) return deferred('the pending order does not exist yet', refs);

  if (pending.status === 'paid') {
    const known = await em.count(Payment, { gateway: event.gateway, gatewayPaymentId: event.paymentId });
    if (known === 0) {
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
      message: `Checkout ${pending.id} expected ${pending.amountMinor} ${pending.currency} but ${event.gateway} reports ${event.amountMinor} ${event.currency} (${event.paymentId}).`,
      subjectType: 'pending_order',
      subjectId: pending.id,
      data: { gateway: event.gateway, paymentId: event.paymentId },
    });
    return ignored('the amount or currency paid is not what the checkout asked for', refs);
  }
  return pending.purpose === 'wallet_top_up' ? creditTopUp(ctx, pending, event) : createPaidOrder(ctx, pending, event);
}

/** A free trial's first checkout takes nothing; anything else must be the amount asked for. */
function amountMatches(pending: PendingOrder, event: PaymentSucceeded): boolean {
  if (event.currency.toUpperCase() !== pending.currency.toUpperCase()) return false;
  return event.amountMinor === pending.amountMinor || (event.subscriptionId !== undefined && event.amountMinor === 0);
}

async function createPaidOrder(
  { em, registry, now }: EventContext,
  pending: PendingOrder,
  event: PaymentSucceeded,
): Promise<EventOutcome> {
  const previousStatus = pending.status;
  const userId = pending.user?.id ?? (await findOrCreateCustomer(em, pending.email, pending.phone ?? null));
  const user = em.getReference(User, userId);
  const { order, records, needsReview } = await placeOrder(em, registry, {
    userId,
    email: pending.email,
    phone: pending.phone ?? null,
    lines: pending.items,
    amountMinor: pending.amountMinor,
    currency: pending.currency,
    pendingOrder: pending,
    paymentGateway: event.gateway,
    paymentReference: event.paymentId,
    isTest: pending.isTest,
    paidAt: now,
  });
  const subscription = event.subscriptionId
    ? em.create(Subscription, { order, user, gateway: event.gateway, gatewaySubscriptionId: event.subscriptionId })
    : null;
  em.create(Payment, {
    order,
    user,
    subscription,
    gateway: event.gateway,
    gatewayPaymentId: event.paymentId,
    purpose: 'order',
    amountMinor: event.amountMinor,
    currency: event.currency.toUpperCase(),
    paidAt: now,
  });
  pending.status = 'paid';
  pending.lastPaymentError = null;
  recordActivity(em, {
    action: 'order.paid',
    subjectType: 'order',
    subjectId: order.id,
    actor: SYSTEM,
    properties: {
      gateway: event.gateway,
      paymentId: event.paymentId,
      eventId: event.eventId,
      amountMinor: event.amountMinor,
      records: records.length,
      ...(previousStatus !== 'pending_payment' ? { pendingOrderWas: previousStatus } : {}),
    },
  });
  notifyInApp(em, {
    userId,
    type: 'order_status_change',
    title: `Payment received for order ${order.orderCode}`,
    message: needsReview
      ? 'Thank you. We review this order before setting it up, and will let you know when that starts.'
      : 'Thank you. We are setting up your order now; follow each step on the order page.',
    data: { orderId: order.id },
  });
  return processed({
    orderId: order.id,
    pendingOrderId: pending.id,
    paymentId: event.paymentId,
    isTest: pending.isTest,
    ...(previousStatus !== 'pending_payment'
      ? { note: `paid after the checkout was ${previousStatus}; the order was created anyway` }
      : {}),
  });
}

async function creditTopUp(
  { em, now }: EventContext,
  pending: PendingOrder,
  event: PaymentSucceeded,
): Promise<EventOutcome> {
  const userId = pending.user?.id;
  if (!userId) throw new Error(`wallet top-up ${pending.id} has no user`);
  const entry = await creditWallet(em, {
    userId,
    currency: pending.currency,
    amountMinor: event.amountMinor,
    reason: 'top_up',
    reference: `top_up:${pending.id}`,
    description: `Top-up through ${event.gateway}`,
  });
  em.create(Payment, {
    user: em.getReference(User, userId),
    gateway: event.gateway,
    gatewayPaymentId: event.paymentId,
    purpose: 'wallet_top_up',
    amountMinor: event.amountMinor,
    currency: pending.currency,
    paidAt: now,
  });
  pending.status = 'paid';
  pending.lastPaymentError = null;
  recordActivity(em, {
    action: 'wallet.topped_up',
    subjectType: 'user',
    subjectId: userId,
    actor: SYSTEM,
    properties: { gateway: event.gateway, paymentId: event.paymentId, amountMinor: event.amountMinor },
  });
  notifyInApp(em, {
    userId,
    type: 'wallet_top_up',
    title: 'Wallet topped up',
    message: `${formatMoney(event.amountMinor, pending.currency)} was added; your balance is ${formatMoney(entry.balanceAfterMinor, pending.currency)}.`,
    data: { pendingOrderId: pending.id },
  });
  return processed({ pendingOrderId: pending.id, paymentId: event.paymentId });
}
