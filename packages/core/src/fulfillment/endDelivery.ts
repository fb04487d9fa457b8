import type { FulfillmentStatus } from '@handover/contracts';
import { FulfillmentRecord } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, SYSTEM } from '../activity/activity';
import { raiseAlert, raiseAlertIn } from '../alerts/alerts';
import { ormSql } from '../database/sql';
import { WriteBatch } from '../database/writeBatch';
import { TransientError } from '../errors';
import type { DomainEvent, ReactionContext } from '../events/domainEvents';
import { addJob, jobSpec } from '../jobs/addJob';
import { callLifecycle, type LifecycleDeps, loadRecordForLifecycle, logLifecycleRows } from './lifecycle';
import { cancelRecord } from './operations';
import type { DriverRegistry } from './registry';
import { isTerminal } from './statuses';
import { loadRecordFacts, lockOrderOf, writeTransition } from './transitions';

/** What ends a delivery: a subscription's end suspends it, a refund cancels it (seed 003 suspend/cancel). */
export type EndAction = 'suspend' | 'cancel';

/** The worker tasks that call the adapter's `suspend` / `cancel` (apps/worker/src/tasks). */
export const END_ACTION_TASKS: Record<EndAction, 'suspend_fulfillment' | 'cancel_fulfillment'> = {
  suspend: 'suspend_fulfillment',
  cancel: 'cancel_fulfillment',
};

const TARGET: Record<EndAction, FulfillmentStatus> = { suspend: 'suspended', cancel: 'cancelled' };

/** Delivered records the action applies to (a suspended tenant can still be cancelled). */
const DELIVERED: Record<EndAction, readonly FulfillmentStatus[]> = {
  suspend: ['completed', 'active'],
  cancel: ['completed', 'active', 'suspended'],
};

export interface EndDeliveryResult {
  /** Delivered records whose adapter call was queued. */
  queued: string[];
  /** Records still on their way, stopped and undone by the engine (inventory never returned once assigned). */
  stopped: string[];
  /** Delivered records whose driver cannot do this: a person has to. */
  byHand: string[];
}

/**
 * Ends the delivery of an order's records, in `em`'s transaction. Records not delivered yet are
 * cancelled (the engine compensates their done steps); delivered ones get a job that calls the
 * adapter's `suspend` or `cancel` (licence revoked, tenant suspended); without one, they are
 * listed for a person.
 */
export async function endOrderDelivery(
  em: EntityManager,
  registry: DriverRegistry,
  orderId: string,
  action: EndAction,
  { actor, now, reason }: { actor: Actor; now: Date; reason: string },
): Promise<EndDeliveryResult> {
  const result: EndDeliveryResult = { queued: [], stopped: [], byHand: [] };
  const records = await em.find(
    FulfillmentRecord,
    { order: orderId },
    { orderBy: { position: 'asc', createdAt: 'asc' } },
  );
  for (const record of records) {
    if (!isTerminal(record.status)) {
      await cancelRecord(em, record.id, actor, now, reason, { by: 'lifecycle' });
      result.stopped.push(record.id);
    } else if (DELIVERED[action].includes(record.status)) {
      if (registry.has(record.driver) && registry.get(record.driver)[action]) {
        await addJob(em, jobSpec(END_ACTION_TASKS[action], { recordId: record.id }));
        result.queued.push(record.id);
      } else {
        result.byHand.push(record.id);
      }
    }
  }
  return result;
}

/**
 * `subscription.ended`: the order's delivered records are suspended through their adapter,
 * records still on their way are stopped, and what no driver can suspend is handed to a person.
 */
export async function endSubscribedDelivery(event: DomainEvent, ctx: ReactionContext): Promise<void> {
  if (event.type !== 'subscription.ended') return;
  const { order } = event;
  const ended = await endOrderDelivery(ctx.em, ctx.registry, order.orderId, 'suspend', {
    actor: SYSTEM,
    now: ctx.now,
    reason: 'The subscription has ended',
  });
  if (ended.byHand.length === 0) return;
  await raiseAlert(ctx.em, {
    type: 'subscription_ended',
    severity: 'warning',
    message: `Order ${order.orderCode}'s subscription ended, but its driver cannot suspend ${ended.byHand.length} delivered item(s): end the customer's access by hand.`,
    subjectType: 'order',
    subjectId: order.orderId,
    data: { recordIds: ended.byHand },
  });
}

/** What suspending or cancelling a delivered record runs with. */
export type EndActionDeps = LifecycleDeps & { portalUrl?: string };

/**
 * Runs the adapter's `suspend` or `cancel` for one delivered record (the worker's
 * suspend_fulfillment / cancel_fulfillment), then marks the record, logs the provider calls and
 * refreshes the order, in one transaction. A transient failure is thrown for the job to retry
 * (until `lastAttempt`); any other failure is logged and alerted.
 */
export async function runEndAction(
  deps: EndActionDeps,
  recordId: string,
  action: EndAction,
  { attempt, lastAttempt }: { attempt: number; lastAttempt: boolean },
): Promise<'done' | 'skipped' | 'failed'> {
  const loaded = await loadRecordForLifecycle(deps, recordId);
  const hook = loaded?.adapter[action];
  if (!loaded || !hook || !DELIVERED[action].includes(loaded.record.status)) return 'skipped';
  const { em, record, order, product } = loaded;
  const outcome = await callLifecycle(deps, loaded, action, attempt, (ctx) => hook.call(loaded.adapter, ctx));
  const retry = !outcome.ok && outcome.error instanceof TransientError && !lastAttempt;

  const now = deps.clock.now();
  await em.transactional(async (tem) => {
    const sql = ormSql(tem);
    await lockOrderOf(sql, record.id);
    const facts = await loadRecordFacts(sql, record.id);
    const extra = new WriteBatch();
    if (!outcome.ok) {
      const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      logLifecycleRows(extra, loaded, action, attempt, now, {
        calls: outcome.calls,
        entry: { kind: 'attempt', status: 'failed', errorMessage: message },
      });
      if (!retry) {
        raiseAlertIn(
          extra,
          {
            type: `${action}_failure`,
            severity: 'critical',
            message: `Order ${order.orderCode}: ${action} of ${record.subject ?? product.name} failed: ${message}. Do it by hand at the provider.`,
            subjectType: 'fulfillment_record',
            subjectId: record.id,
            data: { orderId: order.id, driver: record.driver },
          },
          now,
        );
      }
      await extra.execute(sql);
      return;
    }
    logLifecycleRows(extra, loaded, action, attempt, now, { calls: outcome.calls });
    // Delivered then suspended or refunded meanwhile: the call is logged, the status is what it became.
    if (facts.status !== record.status) {
      await extra.execute(sql);
      return;
    }
    await writeTransition(sql, {
      record: facts,
      from: facts.status,
      to: TARGET[action],
      by: 'lifecycle',
      actor: SYSTEM,
      reason: REASONS[action],
      extra,
      now,
      portalUrl: deps.portalUrl ?? '',
    });
  });
  if (retry) throw outcome.error;
  return outcome.ok ? 'done' : 'failed';
}

/** Shown to the customer beside the record. */
const REASONS: Record<EndAction, string> = {
  suspend: 'Suspended: the subscription has ended',
  cancel: 'Cancelled: the order was refunded',
};
