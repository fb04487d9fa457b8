import { type Order, Subscription, User } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import { recordActivity, SYSTEM } from '../activity/activity';
import { raiseAlert } from '../alerts/alerts';
import { resumeOrderDelivery } from '../fulfillment/resumeDelivery';
import { addJob, jobSpec } from '../jobs/addJob';
import { notifyInApp, queueMessage } from '../notifications/outbox';
import { subscriptionRestoredMessage } from '../notifications/templates';
import type { NormalizedPaymentEvent } from '../payments/gateway';
import { deferred, type EventContext, type EventOutcome, ignored, processed } from '../payments/processing';
import { addInterval, billingTermsOf } from './billingTerms';

type PaymentFailed = Extract<NormalizedPaymentEvent, { type: 'subscription.payment_failed' }>;

/**
 * Seed 003: a renewal could not be charged. The subscription becomes `past_due` and its grace
 * period starts; the `subscription_grace` job (queued here, then every 15 minutes) fixes its end,
 * emails the customer, reminds them, and suspends delivery if it runs out unpaid. The service
 * keeps running meanwhile. A later failure of a renewal already past due changes nothing.
 */
export async function applySubscriptionPaymentFailed(ctx: EventContext, event: PaymentFailed): Promise<EventOutcome> {
  const subscription = await ctx.em.findOne(
    Subscription,
    { gateway: event.gateway, gatewaySubscriptionId: event.subscriptionId },
    { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['order'] },
  );
  if (!subscription) return deferred('the subscription is not known yet');
  const order = subscription.order as Order;
  const refs = { orderId: order.id };
  if (subscription.status === 'cancelled') return ignored('the subscription has ended', refs);
  if (subscription.status !== 'active') {
    subscription.lastPaymentError = event.reason;
    return ignored(`the renewal was already unpaid (${subscription.status})`, refs);
  }
  Object.assign(subscription, {
    status: 'past_due',
    lastPaymentFailedAt: ctx.now,
    lastPaymentError: event.reason,
    graceEndsAt: null,
    remindersSent: 0,
    lastReminderAt: null,
  });
  recordActivity(ctx.em, {
    action: 'subscription.payment_failed',
    subjectType: 'order',
    subjectId: order.id,
    actor: SYSTEM,
    properties: { gateway: event.gateway, subscriptionId: event.subscriptionId, reason: event.reason },
  });
  await addJob(ctx.em, jobSpec('subscription_grace', {}));
  return processed(refs);
}

/**
 * A renewal was paid (seed 003 "payment restores"): a subscription past due is active again
 * and its grace period ends; a suspended one also gets its records resumed through their
 * adapter (`resume_fulfillment`), and the customer is told. Its next period is counted from now.
 */
export async function restoreSubscriptionOnRenewal(ctx: EventContext, subscription: Subscription): Promise<void> {
  const order = subscription.order as Order;
  const terms = (await billingTermsOf(ctx.em, [subscription.id])).get(subscription.id);
  if (terms?.interval) subscription.currentPeriodEnd = addInterval(ctx.now, terms.interval);
  const was = subscription.status;
  if (was !== 'past_due' && was !== 'suspended') return;
  Object.assign(subscription, {
    status: 'active',
    graceEndsAt: null,
    lastPaymentFailedAt: null,
    lastPaymentError: null,
    remindersSent: 0,
    lastReminderAt: null,
    suspendedAt: null,
  });
  const resumed = was === 'suspended' ? await resumeOrderDelivery(ctx.em, ctx.registry, order.id) : null;
  recordActivity(ctx.em, {
    action: 'subscription.restored',
    subjectType: 'order',
    subjectId: order.id,
    actor: SYSTEM,
    properties: { from: was, ...(resumed ?? {}) },
  });
  if (resumed && resumed.byHand.length > 0) {
    await raiseAlert(ctx.em, {
      type: 'subscription_restored',
      severity: 'warning',
      message: `Order ${order.orderCode}'s renewal was paid after its suspension, but its driver cannot resume ${resumed.byHand.length} item(s): restore the customer's access by hand.`,
      subjectType: 'order',
      subjectId: order.id,
      data: { recordIds: resumed.byHand },
    });
  }
  const user = await ctx.em.findOneOrFail(User, { id: subscription.user.id });
  const text = subscriptionRestoredMessage({
    productName: terms?.productName ?? 'Your subscription',
    orderCode: order.orderCode,
    wasSuspended: was === 'suspended',
  });
  await queueMessage(ctx.em, {
    channel: 'email',
    recipient: user.email,
    template: 'subscription_restored',
    subject: text.subject,
    body: text.body,
    data: { orderId: order.id, subscriptionId: subscription.id },
  });
  notifyInApp(ctx.em, {
    userId: subscription.user.id,
    type: 'subscription_restored',
    title: `Renewal received (order ${order.orderCode})`,
    message: was === 'suspended' ? 'Your service is being restored.' : 'Your subscription is up to date again.',
    data: { orderId: order.id },
  });
}
