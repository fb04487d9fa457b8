import { FulfillmentRecord, FulfillmentStep, ManualTask, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, recordActivity } from '../activity/activity';
import { ConflictError, NotFoundError } from '../errors';
import { enqueueFulfillment } from './jobs';
import { lockOrder, refreshOrderFulfillmentStatus } from './orderStatus';
import { isTerminal } from './statuses';

export interface OperationResult {
  recordId: string;
  ok: boolean;
  message: string;
}

async function withRecord<T>(
  em: EntityManager,
  recordId: string,
  now: Date,
  work: (tem: EntityManager, record: FulfillmentRecord) => Promise<T>,
): Promise<T> {
  return em.transactional(async (tem) => {
    const found = await tem.findOne(FulfillmentRecord, { id: recordId }, { fields: ['id', 'order'] });
    if (!found) throw new NotFoundError(`Fulfillment record ${recordId} does not exist`);
    await lockOrder(tem, found.order.id);
    // Re-read under the order lock, so the checks below see the latest status.
    const record = await tem.findOneOrFail(FulfillmentRecord, { id: recordId }, { refresh: true });
    const result = await work(tem, record);
    await tem.flush();
    await refreshOrderFulfillmentStatus(tem, record.order.id, now);
    return result;
  });
}

function assertNotRunning(record: FulfillmentRecord, now: Date): void {
  if (record.lockedBy && record.lockedUntil && record.lockedUntil > now) {
    throw new ConflictError('This record is being worked on right now; try again in a moment');
  }
}

/** Retries failed records from the step that failed (compensated steps are redone). One result per record. */
export async function retryRecords(
  em: EntityManager,
  recordIds: string[],
  actor: Actor,
  now: Date,
): Promise<OperationResult[]> {
  const results: OperationResult[] = [];
  for (const recordId of recordIds) {
    try {
      await withRecord(em, recordId, now, async (tem, record) => {
        if (record.status !== 'failed') {
          throw new ConflictError(`Only failed records can be retried; this one is ${record.status}`);
        }
        resetForRun(record, 'Retry requested');
        recordActivity(tem, {
          action: 'fulfillment.retry_requested',
          subjectType: 'fulfillment_record',
          subjectId: record.id,
          actor,
          properties: { from: 'failed', to: 'queued' },
        });
        await enqueueFulfillment(tem, record.id);
      });
      results.push({ recordId, ok: true, message: 'Queued for another attempt' });
    } catch (error) {
      results.push({ recordId, ok: false, message: (error as Error).message });
    }
  }
  return results;
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
): Promise<void> {
  await withRecord(em, recordId, now, async (tem, record) => {
    if (isTerminal(record.status)) {
      throw new ConflictError(`A ${record.status} record cannot be cancelled; refund the order instead`);
    }
    const from = record.status;
    record.status = 'cancelled';
    record.statusReason = reason;
    record.nextAttemptAt = null;
    await tem.nativeUpdate(
      ManualTask,
      { record: record.id, status: { $in: ['open', 'in_progress'] } },
      { status: 'cancelled' },
    );
    recordActivity(tem, {
      action: 'fulfillment.cancelled',
      subjectType: 'fulfillment_record',
      subjectId: record.id,
      actor,
      description: reason,
      properties: { from, to: 'cancelled' },
    });
    // The worker takes the cancelled record and runs the compensations.
    await enqueueFulfillment(tem, record.id);
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
  await withRecord(em, task.record.id, now, async (tem) => {
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
    await enqueueFulfillment(tem, fresh.record.id);
  });
}

/** Runs a record again from `stepName`: that step and the ones after it are redone with new idempotency keys. */
export async function rerunFromStep(
  em: EntityManager,
  recordId: string,
  stepName: string,
  actor: Actor,
  now: Date,
): Promise<void> {
  await withRecord(em, recordId, now, async (tem, record) => {
    assertNotRunning(record, now);
    if (record.status === 'cancelled') throw new ConflictError('A cancelled record cannot be re-run');
    const steps = await tem.find(FulfillmentStep, { record: record.id }, { orderBy: { position: 'asc' } });
    const from = steps.find((s) => s.name === stepName);
    if (!from) throw new NotFoundError(`Step "${stepName}" has not run for this record`);
    for (const step of steps.filter((s) => s.position >= from.position)) {
      Object.assign(step, {
        status: 'failed',
        error: `Re-run requested from ${stepName}`,
        generation: step.generation + 1,
      });
    }
    const previous = record.status;
    resetForRun(record, `Re-running from ${stepName}`);
    record.completedAt = null;
    recordActivity(tem, {
      action: 'fulfillment.rerun_requested',
      subjectType: 'fulfillment_record',
      subjectId: record.id,
      actor,
      properties: { from: previous, to: 'queued', step: stepName },
    });
    await enqueueFulfillment(tem, record.id);
  });
}

function resetForRun(record: FulfillmentRecord, reason: string): void {
  Object.assign(record, {
    status: 'queued',
    statusReason: reason,
    attempts: 0,
    pollCount: 0,
    currentStep: null,
    lastError: null,
    lastErrorCode: null,
    failedAt: null,
    nextAttemptAt: null,
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
export async function cancelRecords(
  em: EntityManager,
  recordIds: string[],
  actor: Actor,
  now: Date,
  reason: string,
): Promise<OperationResult[]> {
  const results: OperationResult[] = [];
  for (const recordId of recordIds) {
    try {
      await cancelRecord(em, recordId, actor, now, reason);
      results.push({ recordId, ok: true, message: 'Cancelled; what was done is being undone' });
    } catch (error) {
      results.push({ recordId, ok: false, message: (error as Error).message });
    }
  }
  return results;
}
