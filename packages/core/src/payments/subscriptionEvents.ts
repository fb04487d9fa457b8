import { type Order, Payment, Subscription } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import { recordActivity, SYSTEM } from '../activity/activity';
import { raiseAlert } from '../alerts/alerts';
import { endOrderDelivery } from '../fulfillment/endDelivery';
import { formatMoney } from '../money';
import { notifyInApp } from '../notifications/outbox';
import type { NormalizedPaymentEvent } from './gateway';
import { deferred, type EventContext, type EventOutcome, ignored, processed } from './processing';

type Of<T extends NormalizedPaymentEvent['type']> = Extract<NormalizedPaymentEvent, { type: T }>;

async function lockSubscription(ctx: EventContext, gateway: string, gatewaySubscriptionId: string) {
  return ctx.em.findOne(
    Subscription,
    { gateway: gateway as Subscription['gateway'], gatewaySubscriptionId },
    { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['order'] },
  );
}

/** A recurring product's later payment: recorded against the order that started the subscription. */
export async function applySubscriptionRenewed(
  ctx: EventContext,
  event: Of<'subscription.renewed'>,
): Promise<EventOutcome> {
  const subscription = await lockSubscription(ctx, event.gateway, event.subscriptionId);
  // The renewal may overtake the first payment's webhook, which creates the subscription.
  if (!subscription) return deferred('the subscription is not known yet', { paymentId: event.paymentId });
  const order = subscription.order as Order;
  const refs = { orderId: order.id, paymentId: event.paymentId };
  const known = await ctx.em.count(Payment, { gateway: event.gateway, gatewayPaymentId: event.paymentId });
  if (known > 0) return ignored('this renewal is already recorded', refs);
  ctx.em.create(Payment, {
    order,
    user: subscription.user,
    subscription,
    gateway: event.gateway,
    gatewayPaymentId: event.paymentId,
    purpose: 'renewal',
    amountMinor: event.amountMinor,
    currency: event.currency.toUpperCase(),
    paidAt: ctx.now,
  });
  subscription.lastRenewedAt = ctx.now;
  recordActivity(ctx.em, {
    action: 'subscription.renewed',
    subjectType: 'order',
    subjectId: order.id,
    actor: SYSTEM,
    properties: { gateway: event.gateway, subscriptionId: event.subscriptionId, paymentId: event.paymentId },
  });
  notifyInApp(ctx.em, {
    userId: subscription.user.id,
    type: 'subscription_renewed',
    title: `Subscription renewed (order ${order.orderCode})`,
    message: `We received ${formatMoney(event.amountMinor, event.currency.toUpperCase())}; nothing changes on your side.`,
    data: { orderId: order.id },
  });
  return processed(refs);
}

/**
 * The subscription ended at the gateway: its delivered records are suspended through their
 * adapter (`suspend_fulfillment`), records still on their way are stopped, and the customer is told.
 */
export async function applySubscriptionCancelled(
  ctx: EventContext,
  event: Of<'subscription.cancelled'>,
): Promise<EventOutcome> {
  const subscription = await lockSubscription(ctx, event.gateway, event.subscriptionId);
  if (!subscription) return deferred('the subscription is not known yet');
  const order = subscription.order as Order;
  if (subscription.status === 'cancelled') return ignored('the subscription has already ended', { orderId: order.id });
  subscription.status = 'cancelled';
  subscription.cancelledAt = ctx.now;
  const ended = await endOrderDelivery(ctx.em, ctx.registry, order.id, 'suspend', {
    actor: SYSTEM,
    now: ctx.now,
    reason: 'The subscription has ended',
  });
  recordActivity(ctx.em, {
    action: 'subscription.cancelled',
    subjectType: 'order',
    subjectId: order.id,
    actor: SYSTEM,
    properties: { gateway: event.gateway, subscriptionId: event.subscriptionId, ...ended },
  });
  if (ended.byHand.length > 0) {
    await raiseAlert(ctx.em, {
      type: 'subscription_ended',
      severity: 'warning',
      message: `Order ${order.orderCode}'s subscription ended, but its driver cannot suspend ${ended.byHand.length} delivered item(s): end the customer's access by hand.`,
      subjectType: 'order',
      subjectId: order.id,
      data: { recordIds: ended.byHand },
    });
  }
  notifyInApp(ctx.em, {
    userId: subscription.user.id,
    type: 'subscription_cancelled',
    title: `Subscription ended (order ${order.orderCode})`,
    message: 'Your subscription has ended, so the service is suspended. Subscribe again to pick up where you left off.',
    data: { orderId: order.id },
  });
  return processed({ orderId: order.id });
}
