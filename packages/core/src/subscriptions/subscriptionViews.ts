import type { PaymentGatewayName, SubscriptionStatus } from '@handover/contracts';
import { type Order, Subscription } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';
import { containing } from '../backoffice/sql';
import type { Clock } from '../clock';
import { ConflictError, NotFoundError } from '../errors';
import { notifyInApp } from '../notifications/outbox';
import type { PaymentGateways } from '../payments/gateways';
import { billingTermsOf, nextRenewalOf } from './billingTerms';

/** A subscription as its customer (and staff) read it. */
export interface SubscriptionView {
  id: string;
  orderId: string;
  orderCode: string;
  productName: string;
  gateway: PaymentGatewayName;
  status: SubscriptionStatus;
  amountMinor: number;
  currency: string;
  interval: 'month' | 'year' | null;
  /** When it renews next; null once it is cancelled or set to end. */
  nextRenewalAt: Date | null;
  /** The customer asked it to end with the period paid for: it ends then instead of renewing. */
  cancelAtPeriodEnd: boolean;
  endsAt: Date | null;
  /** While past due: when delivery is suspended if the renewal is still unpaid. */
  graceEndsAt: Date | null;
  lastPaymentError: string | null;
  /** Whether the customer can cancel it here (the gateway supports it and it is not ending already). */
  canCancel: boolean;
  createdAt: Date;
  cancelledAt: Date | null;
}

async function views(
  em: EntityManager,
  subscriptions: Subscription[],
  gateways: PaymentGateways,
): Promise<SubscriptionView[]> {
  const terms = await billingTermsOf(
    em,
    subscriptions.map((s) => s.id),
  );
  return subscriptions.map((subscription) => {
    const term = terms.get(subscription.id);
    const order = subscription.order as Order;
    const renewal = nextRenewalOf(subscription, term);
    const ending = subscription.status === 'cancelled' || subscription.cancelAtPeriodEnd;
    return {
      id: subscription.id,
      orderId: order.id,
      orderCode: order.orderCode,
      productName: term?.productName ?? 'Subscription',
      gateway: subscription.gateway,
      status: subscription.status,
      amountMinor: term?.amountMinor ?? order.amountMinor,
      currency: term?.currency ?? order.currency,
      interval: term?.interval ?? null,
      nextRenewalAt: ending ? null : renewal,
      cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
      endsAt:
        subscription.status === 'cancelled'
          ? (subscription.cancelledAt ?? null)
          : subscription.cancelAtPeriodEnd
            ? renewal
            : null,
      graceEndsAt: subscription.graceEndsAt ?? null,
      lastPaymentError: subscription.lastPaymentError ?? null,
      canCancel: !ending && typeof gateways[subscription.gateway]?.cancelSubscription === 'function',
      createdAt: subscription.createdAt,
      cancelledAt: subscription.cancelledAt ?? null,
    };
  });
}

/** The customer's subscriptions (seed 003 §7.1 CustomerSubscriptions), newest first. */
export async function listCustomerSubscriptions(
  em: EntityManager,
  userId: string,
  gateways: PaymentGateways,
): Promise<SubscriptionView[]> {
  const subscriptions = await em.find(
    Subscription,
    { user: userId },
    { populate: ['order'], orderBy: { createdAt: 'desc', id: 'asc' } },
  );
  return views(em, subscriptions, gateways);
}

export async function countCustomerSubscriptions(em: EntityManager, userId: string): Promise<number> {
  return em.count(Subscription, { user: userId });
}

/**
 * Seed 003 "cancel at period end through the gateway": the gateway stops the renewals, and its
 * `subscription.cancelled` event at the end of the period suspends delivery as any end does.
 * The service runs until then. Another customer's subscription is answered as a missing one.
 */
export async function cancelSubscriptionAtPeriodEnd(
  deps: { em: EntityManager; gateways: PaymentGateways; clock: Clock },
  { userId, subscriptionId }: { userId: string; subscriptionId: string },
): Promise<SubscriptionView> {
  const em = deps.em.fork();
  const subscription = await em.findOne(Subscription, { id: subscriptionId, user: userId }, { populate: ['order'] });
  if (!subscription) throw new NotFoundError('No such subscription in your account.');
  if (subscription.status === 'cancelled') throw new ConflictError('This subscription has already ended.');
  if (subscription.cancelAtPeriodEnd) {
    return (await views(em, [subscription], deps.gateways))[0] as SubscriptionView;
  }
  const gateway = deps.gateways[subscription.gateway];
  if (!gateway?.cancelSubscription) {
    throw new ConflictError('This subscription cannot be cancelled here; contact us and we will end it for you.');
  }
  const { currentPeriodEnd } = await gateway.cancelSubscription({
    subscriptionId: subscription.gatewaySubscriptionId,
    idempotencyKey: `cancel-subscription:${subscription.id}`,
  });
  const order = subscription.order as Order;
  const now = deps.clock.now();
  Object.assign(subscription, {
    cancelAtPeriodEnd: true,
    cancelRequestedAt: now,
    ...(currentPeriodEnd ? { currentPeriodEnd } : {}),
  });
  recordActivity(em, {
    action: 'subscription.cancel_requested',
    subjectType: 'order',
    subjectId: order.id,
    actor: { type: 'user', id: userId },
    properties: { subscriptionId: subscription.id, gateway: subscription.gateway },
  });
  const [view] = await views(em, [subscription], deps.gateways);
  notifyInApp(em, {
    userId,
    type: 'subscription_cancel_requested',
    title: `${view?.productName ?? 'Subscription'} ends with the period paid for`,
    message: view?.endsAt
      ? `It will not renew; the service runs until ${view.endsAt.toISOString().slice(0, 10)}.`
      : 'It will not renew; the service runs until the end of the period paid for.',
    data: { orderId: order.id },
  });
  await em.flush();
  return view as SubscriptionView;
}

/** The back office's subscriptions, with filters (seed 003: "the back office lists subscriptions"). */
export async function listSubscriptionsForStaff(
  em: EntityManager,
  filter: { status?: SubscriptionStatus; gateway?: PaymentGatewayName; q?: string },
  page: { limit: number; offset: number },
  gateways: PaymentGateways,
): Promise<{ data: (SubscriptionView & { customerEmail: string; gatewaySubscriptionId: string })[]; total: number }> {
  const q = filter.q?.trim();
  const where = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.gateway ? { gateway: filter.gateway } : {}),
    ...(q
      ? {
          $or: [
            { order: { orderCode: { $ilike: containing(q) } } },
            { order: { email: { $ilike: containing(q) } } },
            { gatewaySubscriptionId: { $ilike: containing(q) } },
          ],
        }
      : {}),
  };
  const [rows, total] = await em.findAndCount(Subscription, where, {
    populate: ['order'],
    orderBy: { createdAt: 'desc', id: 'asc' },
    limit: page.limit,
    offset: page.offset,
  });
  const shaped = await views(em, rows, gateways);
  return {
    data: rows.map((row, index) => ({
      ...(shaped[index] as SubscriptionView),
      customerEmail: (row.order as Order).email,
      gatewaySubscriptionId: row.gatewaySubscriptionId,
    })),
    total,
  };
}
