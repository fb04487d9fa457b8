import { FulfillmentRecord } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SYSTEM } from '../activity/activity';
import { raiseAlertIn } from '../alerts/alerts';
import { ormSql } from '../database/sql';
import { WriteBatch } from '../database/writeBatch';
import { TransientError } from '../errors';
import { addJob, jobSpec } from '../jobs/addJob';
import type { EndActionDeps } from './endDelivery';
import { callLifecycle, loadRecordForLifecycle, logLifecycleRows } from './lifecycle';
import type { DriverRegistry } from './registry';
import { loadRecordFacts, lockOrderOf, writeTransition } from './transitions';

export interface ResumeDeliveryResult {
  /** Suspended records whose adapter's `resume` was queued. */
  queued: string[];
  /** Suspended records whose driver cannot resume: a person has to. */
  byHand: string[];
}

/**
 * A subscription suspended for an unpaid renewal was paid again (seed 003 "payment restores"):
 * each suspended record of the order gets a `resume_fulfillment` job, in `em`'s transaction; a
 * record whose driver has no `resume` is listed for a person.
 */
export async function resumeOrderDelivery(
  em: EntityManager,
  registry: DriverRegistry,
  orderId: string,
): Promise<ResumeDeliveryResult> {
  const result: ResumeDeliveryResult = { queued: [], byHand: [] };
  const records = await em.find(
    FulfillmentRecord,
    { order: orderId, status: 'suspended' },
    { fields: ['id', 'driver'] },
  );
  for (const record of records) {
    if (registry.has(record.driver) && registry.get(record.driver).resume) {
      await addJob(em, jobSpec('resume_fulfillment', { recordId: record.id }));
      result.queued.push(record.id);
    } else {
      result.byHand.push(record.id);
    }
  }
  return result;
}

/**
 * Runs the adapter's `resume` for one suspended record (the worker's resume_fulfillment), then
 * makes it delivered again (`active`, or `completed` for a driver that ends there), logs the
 * provider calls and refreshes the order, in one transaction. A transient failure is thrown for
 * the job to retry (until `lastAttempt`); any other failure is logged and alerted.
 */
export async function runResumeAction(
  deps: EndActionDeps,
  recordId: string,
  { attempt, lastAttempt }: { attempt: number; lastAttempt: boolean },
): Promise<'done' | 'skipped' | 'failed'> {
  const loaded = await loadRecordForLifecycle(deps, recordId);
  const hook = loaded?.adapter.resume;
  if (!loaded || !hook || loaded.record.status !== 'suspended') return 'skipped';
  const { em, record, order, product, adapter } = loaded;
  const outcome = await callLifecycle(deps, loaded, 'resume', attempt, (ctx) => hook.call(adapter, ctx));
  const retry = !outcome.ok && outcome.error instanceof TransientError && !lastAttempt;

  const now = deps.clock.now();
  await em.transactional(async (tem) => {
    const sql = ormSql(tem);
    await lockOrderOf(sql, record.id);
    const facts = await loadRecordFacts(sql, record.id);
    const extra = new WriteBatch();
    if (!outcome.ok) {
      const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      logLifecycleRows(extra, loaded, 'resume', attempt, now, {
        calls: outcome.calls,
        entry: { kind: 'attempt', status: 'failed', errorMessage: message },
      });
      if (!retry) {
        raiseAlertIn(
          extra,
          {
            type: 'resume_failure',
            severity: 'critical',
            message: `Order ${order.orderCode} was paid again, but resuming ${record.subject ?? product.name} failed: ${message}. Restore the customer's access by hand at the provider.`,
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
    logLifecycleRows(extra, loaded, 'resume', attempt, now, { calls: outcome.calls });
    // Cancelled meanwhile (a refund): the call is logged, the status is what it became.
    if (facts.status !== 'suspended') {
      await extra.execute(sql);
      return;
    }
    await writeTransition(sql, {
      record: facts,
      from: 'suspended',
      to: adapter.completedStatus ?? 'completed',
      by: 'lifecycle',
      actor: SYSTEM,
      action: 'fulfillment.resumed',
      reason: 'Restored: the subscription is paid again',
      extra,
      now,
      portalUrl: deps.portalUrl ?? '',
    });
  });
  if (retry) throw outcome.error;
  return outcome.ok ? 'done' : 'failed';
}

/**
 * How many times the record was suspended and then resumed: a driver numbers its suspend and
 * resume calls with it (1 + this), so each cycle's calls carry idempotency keys of their own.
 */
export async function resumesOf(em: EntityManager, recordId: string): Promise<number> {
  const [row] = await em.getConnection().execute<{ n: number }[]>(
    `select count(*)::int as n from activity_logs
        where subject_type = 'fulfillment_record' and subject_id = ? and action = 'fulfillment.resumed'`,
    [recordId],
  );
  return row?.n ?? 0;
}
