import { FulfillmentStep, InventoryItem, PendingCompensation, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, recordActivity } from '../activity/activity';
import { resolveAlert } from '../alerts/alerts';
import { WriteBatch } from '../database/writeBatch';
import { ConflictError, NotFoundError } from '../errors';
import { addJob, jobSpec } from '../jobs/addJob';
import {
  COMPENSATION_RETRY_DELAYS_MS,
  compensateDoneSteps,
  compensationUnfinished,
  holdUnfinishedCompensation,
  journalCompensation,
} from './compensation';
import { journalStep, type LogSubject, stepIdempotencyKey } from './journal';
import { type LifecycleDeps, lifecycleContext, loadRecordForLifecycle } from './lifecycle';

export type CompensationRetryOutcome = 'done' | 'pending' | 'abandoned' | 'skipped';

/**
 * The background retry of an unfinished undo (the `compensate_record` job): the steps still
 * journalled done are undone again, last first, stopping at the first that fails. When all are
 * undone, the record's quarantined inventory goes back to its pool and the alert is resolved;
 * otherwise the next try is scheduled, until the delays run out and ops decide.
 */
export async function retryPendingCompensation(
  deps: LifecycleDeps & { retryDelaysMs?: readonly number[] },
  recordId: string,
): Promise<CompensationRetryOutcome> {
  const em = deps.em.fork();
  const pending = await em.findOne(PendingCompensation, { record: recordId });
  if (pending?.status !== 'pending') return 'skipped';
  const loaded = await loadRecordForLifecycle(deps, recordId);
  const now = deps.clock.now();
  const who: LogSubject & { orderCode: string } = {
    recordId,
    orderId: loaded?.order.id ?? '',
    driver: loaded?.record.driver ?? '',
    subject: loaded?.record.subject ?? null,
    network: null,
    phoneNumber: null,
    maxAttempts: loaded?.record.maxAttempts ?? 0,
    orderCode: loaded?.order.orderCode ?? '',
  };
  const attempts = pending.attempts + 1;
  const delays = deps.retryDelaysMs ?? COMPENSATION_RETRY_DELAYS_MS;
  const contextFor = loaded ? await lifecycleContext(deps, loaded) : null;
  if (!loaded || !contextFor?.ok) {
    const why = !loaded
      ? `the record's driver is not available on this worker`
      : contextFor && !contextFor.ok
        ? contextFor.error.message
        : '';
    const delay = next(delays, attempts);
    await em.transactional(async (tem) => {
      tem.assign(pending, {
        attempts,
        lastError: why,
        status: delay === null ? 'abandoned' : 'pending',
        nextAttemptAt: delay === null ? null : new Date(now.getTime() + delay),
      });
      if (delay !== null) {
        await addJob(tem, jobSpec('compensate_record', { recordId }, { runAt: new Date(now.getTime() + delay) }));
      }
    });
    return delay === null ? 'abandoned' : 'pending';
  }

  const pools = await quarantinedPools(em, recordId);
  const journal = await em.find(FulfillmentStep, { record: recordId });
  const results = await compensateDoneSteps(
    loaded.adapter,
    journal.map((step) => ({
      name: step.name,
      status: step.status,
      generation: step.generation,
      output: step.output ?? null,
    })),
    (step, generation) => contextFor.context(step, generation, attempts),
  );
  const batch = new WriteBatch();
  journalCompensation(batch, who, results, now);
  const unfinished = compensationUnfinished(results);
  if (unfinished) {
    holdUnfinishedCompensation(batch, who, results, { attempts, delayMs: next(delays, attempts), now });
  } else {
    batch.write(
      `update pending_compensations set status = 'done', attempts = ?, last_error = null, next_attempt_at = null,
              updated_at = ? where record_id = ? returning 1`,
      [attempts, now, recordId],
    );
    releaseQuarantine(batch, recordId, 'available', now);
    wakeWaitingFor(batch, pools);
  }
  await em.transactional(async (tem) => {
    await batch.execute(tem);
    if (!unfinished) {
      await resolveAlert(tem, `rollback_failure:${recordId}`, now, `undo finished after ${attempts} tries`);
      recordActivity(tem, {
        action: 'fulfillment.compensation_finished',
        subjectType: 'fulfillment_record',
        subjectId: recordId,
        actor: { type: 'system' },
        description: `The undo finished after ${attempts} tries; what the record held is back in its pool`,
        properties: { attempts },
      });
    }
  });
  if (!unfinished) return 'done';
  return next(delays, attempts) === null ? 'abandoned' : 'pending';
}

/** The delay before the try after `attempts` failed ones; null when they have run out. */
function next(delays: readonly number[], attempts: number): number | null {
  return delays[attempts - 1] ?? null;
}

async function quarantinedPools(em: EntityManager, recordId: string): Promise<string[]> {
  const rows = await em.execute<{ pool_id: string }[]>(
    `select distinct pool_id from inventory_items where record_id = ? and status = 'quarantined'`,
    [recordId],
  );
  return rows.map((row) => row.pool_id);
}

/** Items back in their pools: records waiting for stock there try again. */
function wakeWaitingFor(batch: WriteBatch, poolIds: readonly string[]): void {
  batch.jobs(poolIds.map((poolId) => jobSpec('inventory_restocked', { poolId })));
}

/** The record's quarantined inventory, back to its pool or written off. */
function releaseQuarantine(batch: WriteBatch, recordId: string, to: 'available' | 'depleted', now: Date): void {
  batch.write(
    `update inventory_items set status = ?, record_id = null, order_id = null, reserved_date = null,
            customer_email = null, domain = null, assigned_date = null, quarantined_at = null, quarantine_reason = null,
            updated_at = ?
      where record_id = ? and status = 'quarantined' returning 1`,
    [to, now, recordId],
  );
}

async function findOpen(em: EntityManager, recordId: string): Promise<PendingCompensation> {
  const pending = await em.findOne(PendingCompensation, { record: recordId });
  if (!pending) throw new NotFoundError('This record has no unfinished undo');
  if (pending.status === 'done' || pending.status === 'resolved') {
    throw new ConflictError(`This record's undo is already ${pending.status}`);
  }
  return pending;
}

/** Ops want the undo tried again now (an abandoned one gets a fresh round of attempts). */
export async function retryCompensationNow(
  em: EntityManager,
  recordId: string,
  actor: Actor,
  now: Date,
): Promise<void> {
  await em.transactional(async (tem) => {
    const pending = await findOpen(tem, recordId);
    tem.assign(pending, {
      status: 'pending',
      nextAttemptAt: now,
      attempts: pending.status === 'abandoned' ? 0 : pending.attempts,
    });
    await addJob(tem, jobSpec('compensate_record', { recordId }));
    recordActivity(tem, {
      action: 'fulfillment.compensation_retry_requested',
      subjectType: 'fulfillment_record',
      subjectId: recordId,
      actor,
    });
  });
}

export type CompensationDecision = 'return_to_pool' | 'write_off';

/**
 * Ops decide an unfinished undo by hand, having checked the provider: what the record held goes
 * back to its pool (the provider no longer uses it) or is written off (depleted). The steps left
 * done are marked undone, so a later retry of the record redoes them.
 */
export async function resolveCompensation(
  em: EntityManager,
  recordId: string,
  { decision, note }: { decision: CompensationDecision; note: string },
  actor: Actor,
  now: Date,
): Promise<void> {
  await em.transactional(async (tem) => {
    const pending = await findOpen(tem, recordId);
    const resolution = `${decision === 'return_to_pool' ? 'Returned to the pool' : 'Written off'}: ${note}`;
    tem.assign(pending, {
      status: 'resolved',
      nextAttemptAt: null,
      resolution,
      resolvedBy: actor.type === 'user' ? tem.getReference(User, actor.id) : null,
    });
    const batch = new WriteBatch();
    const left = await tem.find(FulfillmentStep, { record: recordId, status: 'done' });
    for (const step of left) {
      journalStep(batch, {
        recordId,
        name: step.name,
        position: step.position,
        status: 'compensated',
        idempotencyKey: stepIdempotencyKey(recordId, step.name, step.generation),
        output: step.output ?? null,
        attempted: false,
        now,
      });
    }
    if (decision === 'return_to_pool') wakeWaitingFor(batch, await quarantinedPools(tem, recordId));
    releaseQuarantine(batch, recordId, decision === 'return_to_pool' ? 'available' : 'depleted', now);
    await batch.execute(tem);
    await resolveAlert(tem, `rollback_failure:${recordId}`, now, resolution);
    recordActivity(tem, {
      action: 'fulfillment.compensation_resolved',
      subjectType: 'fulfillment_record',
      subjectId: recordId,
      actor,
      description: resolution,
      properties: { decision },
    });
  });
}

/** Refuses to run a record again while what it holds is quarantined behind an unfinished undo. */
export async function assertNoUnfinishedCompensation(em: EntityManager, recordId: string): Promise<void> {
  const pending = await em.findOne(PendingCompensation, {
    record: recordId,
    status: { $in: ['pending', 'abandoned'] },
  });
  if (pending) {
    throw new ConflictError(
      "This record's undo has not finished (its inventory is quarantined): retry the undo or resolve it in Quarantine first",
    );
  }
}

/** What ops see in Quarantine: each unfinished (or finished) undo with the inventory it holds back. */
export async function listPendingCompensations(
  em: EntityManager,
  filter: { status?: PendingCompensation['status'] },
  page: { limit: number; offset: number },
) {
  const [rows, total] = await em.findAndCount(PendingCompensation, filter.status ? { status: filter.status } : {}, {
    populate: ['record', 'record.order'],
    orderBy: { updatedAt: 'desc', id: 'asc' },
    limit: page.limit,
    offset: page.offset,
  });
  const items = await em.find(
    InventoryItem,
    { record: { $in: rows.map((row) => row.record.id) }, status: 'quarantined' },
    { populate: ['pool'] },
  );
  // The steps still journalled done: the undos that have not succeeded yet.
  const stepsLeft = await em.find(
    FulfillmentStep,
    { record: { $in: rows.map((row) => row.record.id) }, status: 'done' },
    { orderBy: { position: 'desc' } },
  );
  return {
    total,
    items: rows.map((row) => ({
      id: row.record.id,
      recordId: row.record.id,
      orderId: row.record.order.id,
      orderCode: row.record.order.orderCode,
      driver: row.record.driver,
      subject: row.record.subject ?? null,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.nextAttemptAt ?? null,
      lastError: row.lastError ?? null,
      resolution: row.resolution ?? null,
      updatedAt: row.updatedAt,
      createdAt: row.createdAt,
      stepsToUndo: stepsLeft.filter((step) => step.record.id === row.record.id).map((step) => step.name),
      quarantined: items
        .filter((item) => item.record?.id === row.record.id)
        .map((item) => ({
          id: item.id,
          email: item.email,
          pool: item.pool.slug,
          since: item.quarantinedAt ?? null,
          reason: item.quarantineReason ?? null,
        })),
    })),
  };
}
