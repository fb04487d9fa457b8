import type { StepStatus } from '@handover/contracts';
import { FulfillmentRecord, ManualTask, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, recordActivity } from '../activity/activity';
import { ormSql, type Sql } from '../database/sql';
import { WriteBatch } from '../database/writeBatch';
import { ConflictError, NotFoundError } from '../errors';
import type { TransitionCause } from '../events/domainEvents';
import { jobSpec } from '../jobs/addJob';
import { enqueueFulfillment } from './jobs';
import { assertNoUnfinishedCompensation } from './pendingCompensations';
import { rerunOptions } from './rerun';
import { isTerminal } from './statuses';
import { loadRecordFacts, lockOrderOf, type RecordChanges, writeTransition } from './transitions';

export interface OperationResult {
  recordId: string;
  ok: boolean;
  message: string;
}

/** A record with its order locked, read afresh, for an operation to decide on. */
type LockedRecord = Awaited<ReturnType<typeof loadRecordFacts>>;

/** Runs `work` in a transaction with the record's order locked and the record read after the lock. */
async function withRecord<T>(
  em: EntityManager,
  recordId: string,
  work: (sql: Sql, tem: EntityManager, record: LockedRecord) => Promise<T>,
): Promise<T> {
  return em.transactional(async (tem) => {
    const sql = ormSql(tem);
    await lockOrderOf(sql, recordId);
    return work(sql, tem, await loadRecordFacts(sql, recordId));
  });
}

function assertNotRunning(record: LockedRecord, now: Date): void {
  if (record.lockedBy && record.lockedUntil && record.lockedUntil > now) {
    throw new ConflictError('This record is being worked on right now; try again in a moment');
  }
}

/** What a record runs again from: no attempts, no error, the first step not journalled done. */
const RESET: RecordChanges = {
  attempts: 0,
  pollCount: 0,
  currentStep: null,
  lastError: null,
  lastErrorCode: null,
  failedAt: null,
  nextAttemptAt: null,
};

/** One result per record, so one refusal stops none of the others. */
async function eachRecord(
  recordIds: string[],
  ok: string,
  work: (recordId: string) => Promise<void>,
): Promise<OperationResult[]> {
  const results: OperationResult[] = [];
  for (const recordId of recordIds) {
    try {
      await work(recordId);
      results.push({ recordId, ok: true, message: ok });
    } catch (error) {
      results.push({ recordId, ok: false, message: (error as Error).message });
    }
  }
  return results;
}

/** Retries failed records from the step that failed (compensated steps are redone). One result per record. */
export function retryRecords(
  em: EntityManager,
  recordIds: string[],
  actor: Actor,
  now: Date,
  portalUrl = '',
): Promise<OperationResult[]> {
  return eachRecord(recordIds, 'Queued for another attempt', (recordId) =>
    withRecord(em, recordId, async (sql, tem, record) => {
      if (record.status !== 'failed') {
        throw new ConflictError(`Only failed records can be retried; this one is ${record.status}`);
      }
      await assertNoUnfinishedCompensation(tem, recordId);
      await writeTransition(sql, {
        record,
        from: 'failed',
        to: 'queued',
        by: 'operator',
        actor,
        action: 'fulfillment.retry_requested',
        reason: 'Retry requested',
        changes: RESET,
        extra: new WriteBatch().jobs([jobSpec('fulfill', { recordId })]),
        now,
        portalUrl,
      });
    }),
  );
}

/**
 * Cancels a record that is not delivered yet: it stops, and the worker undoes its done steps
 * (inventory released, partial provider objects deleted). Delivered records are refunded instead.
 */
export async function cancelRecord(
  em: EntityManager,
  recordId: string,
  actor: Actor,
  now: Date,
  reason: string,
  {
    by = 'operator',
    portalUrl = '',
  }: { by?: Extract<TransitionCause, 'operator' | 'lifecycle'>; portalUrl?: string } = {},
): Promise<void> {
  await withRecord(em, recordId, async (sql, _tem, record) => {
    if (isTerminal(record.status)) {
      throw new ConflictError(`A ${record.status} record cannot be cancelled; refund the order instead`);
    }
    await writeTransition(sql, {
      record,
      from: record.status,
      to: 'cancelled',
      by,
      actor,
      reason,
      changes: { nextAttemptAt: null },
      extra: new WriteBatch()
        .write(
          `update manual_tasks set status = 'cancelled', updated_at = ?
            where record_id = ? and status in ('open', 'in_progress') returning 1`,
          [now, recordId],
        )
        // The worker takes the cancelled record and runs the compensations.
        .jobs([jobSpec('fulfill', { recordId })]),
      now,
      portalUrl,
    });
  });
}

/** An operator finished a manual step; what they entered becomes the step's output. */
export async function completeManualTask(
  em: EntityManager,
  taskId: string,
  resolution: Record<string, unknown>,
  actor: Actor & { type: 'user' },
  now: Date,
): Promise<void> {
  const task = await em.findOne(ManualTask, { id: taskId });
  if (!task) throw new NotFoundError('That task does not exist');
  await withRecord(em, task.record.id, async (_sql, tem) => {
    const fresh = await tem.findOneOrFail(ManualTask, { id: taskId }, { refresh: true });
    if (fresh.status === 'done' || fresh.status === 'cancelled') {
      throw new ConflictError(`This task is already ${fresh.status}`);
    }
    Object.assign(fresh, {
      status: 'done',
      resolution,
      completedAt: now,
      completedBy: tem.getReference(User, actor.id),
    });
    recordActivity(tem, {
      action: 'manual_task.completed',
      subjectType: 'fulfillment_record',
      subjectId: fresh.record.id,
      actor,
      properties: { taskId, step: fresh.step },
    });
    await tem.flush();
    await enqueueFulfillment(tem, fresh.record.id);
  });
}

/**
 * Runs a record again from `stepName`: that step and the ones after it are redone with new
 * idempotency keys. Refused where that would repeat what the provider already did (see rerunOptions).
 */
export async function rerunFromStep(
  em: EntityManager,
  recordId: string,
  stepName: string,
  actor: Actor,
  now: Date,
  portalUrl = '',
): Promise<void> {
  await withRecord(em, recordId, async (sql, _tem, record) => {
    assertNotRunning(record, now);
    const steps = await sql.query<{ name: string; status: StepStatus; position: number }>(
      'select name, status, position from fulfillment_steps where record_id = ? order by position',
      [recordId],
    );
    const index = steps.findIndex((step) => step.name === stepName);
    const from = steps[index];
    if (!from) throw new NotFoundError(`Step "${stepName}" has not run for this record`);
    const option = rerunOptions(record.status, steps)[index];
    if (!option?.offered) throw new ConflictError(option?.effect ?? 'This step cannot be run again');
    await writeTransition(sql, {
      record,
      from: record.status,
      to: 'queued',
      by: 'operator',
      actor,
      action: 'fulfillment.rerun_requested',
      properties: { step: stepName },
      reason: `Re-running from ${stepName}`,
      changes: { ...RESET, completedAt: null },
      extra: new WriteBatch()
        .write(
          `update fulfillment_steps set status = 'failed', error = ?, generation = generation + 1, updated_at = ?
            where record_id = ? and position >= ? returning 1`,
          [`Re-run requested from ${stepName}`, now, recordId, from.position],
        )
        .jobs([jobSpec('fulfill', { recordId })]),
      now,
      portalUrl,
    });
  });
}

/**
 * A customer resubmits a record waiting in `draft` for their changes (seed 001: their registrar's
 * allow-list or credentials fixed): it runs again from the step that stopped, or, with
 * `fromStep`, from that step on with new idempotency keys (a domain they corrected).
 */
export async function resubmitDraftRecord(
  em: EntityManager,
  recordId: string,
  actor: Actor & { type: 'user' },
  now: Date,
  { fromStep, portalUrl = '' }: { fromStep?: string; portalUrl?: string } = {},
): Promise<void> {
  await withRecord(em, recordId, async (sql, _tem, record) => {
    if (record.status !== 'draft') {
      throw new ConflictError(
        `Only a record waiting for your changes can be resubmitted; this one is ${record.status}`,
      );
    }
    const extra = new WriteBatch();
    if (fromStep) {
      extra.write(
        `update fulfillment_steps set status = 'failed', error = ?, generation = generation + 1, updated_at = ?
          where record_id = ? and position >= (select position from fulfillment_steps where record_id = ? and name = ?)
          returning 1`,
        [`Resubmitted from ${fromStep}`, now, recordId, recordId, fromStep],
      );
    }
    await writeTransition(sql, {
      record,
      from: 'draft',
      to: 'queued',
      by: 'customer',
      actor,
      action: 'fulfillment.resubmitted',
      properties: fromStep ? { step: fromStep } : {},
      reason: 'Resubmitted',
      changes: fromStep
        ? RESET
        : { attempts: 0, pollCount: 0, lastError: null, lastErrorCode: null, nextAttemptAt: null },
      extra: extra.jobs([jobSpec('fulfill', { recordId })]),
      now,
      portalUrl,
    });
  });
}

/**
 * Wakes records left waiting for something outside (stock arriving, a customer's change):
 * each gets a `fulfill` job, oldest first. Returns how many were woken.
 */
export async function wakeWaitingRecords(
  em: EntityManager,
  where: { status: 'awaiting_inventory' | 'awaiting_customer' | 'draft'; driver?: string },
  limit = 1000,
): Promise<number> {
  return em.transactional(async (tem) => {
    const records = await tem.find(
      FulfillmentRecord,
      { status: where.status, ...(where.driver ? { driver: where.driver } : {}) },
      { fields: ['id'], orderBy: { createdAt: 'asc' }, limit },
    );
    for (const record of records) await enqueueFulfillment(tem, record.id);
    return records.length;
  });
}

/** Cancels each record (see cancelRecord); one result per record, so one refusal stops none of the others. */
export function cancelRecords(
  em: EntityManager,
  recordIds: string[],
  actor: Actor,
  now: Date,
  reason: string,
): Promise<OperationResult[]> {
  return eachRecord(recordIds, 'Cancelled; what was done is being undone', (recordId) =>
    cancelRecord(em, recordId, actor, now, reason),
  );
}
