import { type Order, Payment, Subscription, type User } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import { recordActivity, SYSTEM } from '../activity/activity';
import type { OrderFacts } from '../events/domainEvents';
import { raise } from '../events/publish';
import { restoreSubscriptionOnRenewal } from '../subscriptions/renewalFailures';
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
  // Seed 003: a renewal paid after a failure ends the grace period, or lifts the suspension.
  const restoring =
    subscription.status === 'past_due' || subscription.status === 'suspended' ? subscription.status : null;
  await restoreSubscriptionOnRenewal(ctx, subscription);
  recordActivity(ctx.em, {
    action: 'subscription.renewed',
    subjectType: 'order',
    subjectId: order.id,
    actor: SYSTEM,
    properties: { gateway: event.gateway, subscriptionId: event.subscriptionId, paymentId: event.paymentId },
  });
  await raise(ctx, {
    type: 'subscription.renewed',
    order: orderFacts(order, subscription.user),
    gatewaySubscriptionId: event.subscriptionId,
    amountMinor: event.amountMinor,
    currency: event.currency.toUpperCase(),
    ...(restoring ? { restoredFrom: restoring } : {}),
  });
  return processed(refs);
}

/**
 * The subscription ended at the gateway: recorded, and `subscription.ended` raised; its
 * listeners suspend the delivered records, stop those on their way and tell the customer.
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
  recordActivity(ctx.em, {
    action: 'subscription.cancelled',
    subjectType: 'order',
    subjectId: order.id,
    actor: SYSTEM,
    properties: { gateway: event.gateway, subscriptionId: event.subscriptionId },
  });
  await raise(ctx, {
    type: 'subscription.ended',
    order: orderFacts(order, subscription.user),
    subscriptionId: subscription.id,
    gatewaySubscriptionId: event.subscriptionId,
  });
  return processed({ orderId: order.id });
}

function orderFacts(order: Order, user: User | { id: string }): OrderFacts {
  return { orderId: order.id, orderCode: order.orderCode, customerEmail: order.email, userId: user.id };
}
