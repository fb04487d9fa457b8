import { type Order, Subscription, User } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity, SYSTEM } from '../activity/activity';
import { raiseAlert } from '../alerts/alerts';
import type { Clock } from '../clock';
import { endOrderDelivery } from '../fulfillment/endDelivery';
import type { DriverRegistry } from '../fulfillment/registry';
import { notifyInApp, queueMessage } from '../notifications/outbox';
import {
  graceReminderMessage,
  type MessageText,
  renewalFailedMessage,
  subscriptionSuspendedMessage,
} from '../notifications/templates';
import { billingTermsOf } from './billingTerms';

export interface GracePeriodDeps {
  em: EntityManager;
  registry: DriverRegistry;
  clock: Clock;
  portalUrl: string;
  /** How long a failed renewal keeps the service running (SUBSCRIPTION_GRACE_DAYS). */
  graceDays: number;
}

export interface GraceRun {
  /** Renewal failures whose grace period started (the customer was emailed). */
  started: string[];
  reminded: string[];
  suspended: string[];
}

const DAY_MS = 86_400_000;

/**
 * Seed 003 "failed renewal → grace period with emails → suspend": for each subscription past
 * due, in a transaction of its own with the subscription locked: its grace period's end is set
 * and the customer emailed; a reminder goes a day before the end (when the period is longer than
 * a day); at the end, still unpaid, it is `suspended` and its delivered records get their
 * adapter's `suspend` (`suspend_fulfillment`), and the customer is told.
 */
export async function runGracePeriods(deps: GracePeriodDeps): Promise<GraceRun> {
  const run: GraceRun = { started: [], reminded: [], suspended: [] };
  const due = await deps.em.fork().find(Subscription, { status: 'past_due' }, { fields: ['id'], limit: 500 });
  for (const { id } of due) {
    const outcome = await deps.em.fork().transactional((em) => stepGracePeriod({ ...deps, em }, id));
    if (outcome) run[outcome].push(id);
  }
  return run;
}

async function stepGracePeriod(deps: GracePeriodDeps, subscriptionId: string): Promise<keyof GraceRun | null> {
  const { em } = deps;
  const now = deps.clock.now();
  const subscription = await em
    .findOne(
      Subscription,
      { id: subscriptionId, status: 'past_due' },
      { lockMode: LockMode.PESSIMISTIC_WRITE_OR_FAIL, populate: ['order'] },
    )
    .catch(() => null);
  if (!subscription) return null;
  const order = subscription.order as Order;
  const user = await em.findOneOrFail(User, { id: subscription.user.id });
  const terms = (await billingTermsOf(em, [subscription.id])).get(subscription.id);
  const productName = terms?.productName ?? 'Your subscription';
  const tell = async (template: string, text: MessageText) => {
    await queueMessage(em, {
      channel: 'email',
      recipient: user.email,
      template,
      subject: text.subject,
      body: text.body,
      data: { orderId: order.id, subscriptionId: subscription.id },
    });
    notifyInApp(em, {
      userId: user.id,
      type: template,
      title: text.subject,
      message: text.body.split('\n\n')[0] ?? text.subject,
      data: { orderId: order.id },
    });
  };

  if (!subscription.graceEndsAt) {
    const graceEndsAt = new Date((subscription.lastPaymentFailedAt ?? now).getTime() + deps.graceDays * DAY_MS);
    Object.assign(subscription, { graceEndsAt, remindersSent: 1, lastReminderAt: now });
    await tell(
      'renewal_failed',
      renewalFailedMessage({
        productName,
        orderCode: order.orderCode,
        reason: subscription.lastPaymentError ?? 'the payment was declined',
        graceEndsAt,
        portalUrl: deps.portalUrl,
      }),
    );
    await em.flush();
    return 'started';
  }

  if (subscription.graceEndsAt <= now) {
    Object.assign(subscription, { status: 'suspended', suspendedAt: now, graceEndsAt: null });
    const ended = await endOrderDelivery(em, deps.registry, order.id, 'suspend', {
      actor: SYSTEM,
      now,
      reason: 'The renewal is unpaid',
    });
    recordActivity(em, {
      action: 'subscription.suspended',
      subjectType: 'order',
      subjectId: order.id,
      actor: SYSTEM,
      properties: { subscriptionId: subscription.id, ...ended },
    });
    if (ended.byHand.length > 0) {
      await raiseAlert(em, {
        type: 'subscription_suspended',
        severity: 'warning',
        message: `Order ${order.orderCode}'s renewal is unpaid after its grace period, but its driver cannot suspend ${ended.byHand.length} delivered item(s): suspend the customer's access by hand.`,
        subjectType: 'order',
        subjectId: order.id,
        data: { recordIds: ended.byHand },
      });
    }
    await tell(
      'subscription_suspended',
      subscriptionSuspendedMessage({ productName, orderCode: order.orderCode, portalUrl: deps.portalUrl }),
    );
    await em.flush();
    return 'suspended';
  }

  const lastDay = subscription.graceEndsAt.getTime() - now.getTime() <= DAY_MS;
  if (lastDay && subscription.remindersSent < 2 && deps.graceDays > 1) {
    Object.assign(subscription, { remindersSent: 2, lastReminderAt: now });
    await tell(
      'grace_reminder',
      graceReminderMessage({
        productName,
        orderCode: order.orderCode,
        graceEndsAt: subscription.graceEndsAt,
        portalUrl: deps.portalUrl,
      }),
    );
    await em.flush();
    return 'reminded';
  }
  return null;
}
