import type { FulfillmentStatus, ManualTaskStatus, StepStatus } from '@handover/contracts';
import { FulfillmentRecord, FulfillmentStep, ManualTask } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../errors';
import { type RerunOption, rerunOptions } from '../fulfillment/rerun';
import { redact } from '../security/redact';
import { Conditions, containing, type KeysetOptions, type KeysetPage, keysetPage } from './sql';

export interface FulfillmentRecordFilter {
  driver?: string;
  status?: FulfillmentStatus;
  createdFrom?: Date;
  createdTo?: Date;
  /** Part of the record's subject: a domain or a phone number. */
  subject?: string;
  /** Part of the last error's text. */
  error?: string;
  orderId?: string;
}

export interface FulfillmentRecordRow {
  id: string;
  orderId: string;
  orderCode: string;
  driver: string;
  subject: string | null;
  status: FulfillmentStatus;
  statusReason: string | null;
  currentStep: string | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

interface Row {
  id: string;
  cursor_at: string;
  order_id: string;
  order_code: string;
  driver: string;
  subject: string | null;
  status: FulfillmentStatus;
  status_reason: string | null;
  current_step: string | null;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The records list's filter as SQL over `fulfillment_records r` (shared by the list, its totals and export). */
export function fulfillmentRecordConditions(filter: FulfillmentRecordFilter): Conditions {
  return new Conditions()
    .when(filter.driver, 'r.driver = ?')
    .when(filter.status, 'r.status = ?')
    .when(filter.createdFrom, 'r.created_at >= ?')
    .when(filter.createdTo, 'r.created_at <= ?')
    .when(filter.subject?.trim(), 'r.subject ilike ?', containing)
    .when(filter.error?.trim(), 'r.last_error ilike ?', containing)
    .when(filter.orderId, 'r.order_id = ?');
}

export async function listFulfillmentRecords(
  em: EntityManager,
  filter: FulfillmentRecordFilter,
  page: KeysetOptions,
): Promise<KeysetPage<FulfillmentRecordRow>> {
  const where = fulfillmentRecordConditions(filter);
  const { rows, ...rest } = await keysetPage<Row>(
    em,
    {
      columns: `r.id, r.order_id, o.order_code, r.driver, r.subject, r.status, r.status_reason, r.current_step,
                r.attempts, r.max_attempts, r.last_error, r.next_attempt_at, r.created_at, r.updated_at`,
      from: 'fulfillment_records r join orders o on o.id = r.order_id',
      alias: 'r',
      where,
    },
    page,
  );
  return {
    ...rest,
    items: rows.map((row) => ({
      id: row.id,
      orderId: row.order_id,
      orderCode: row.order_code,
      driver: row.driver,
      subject: row.subject,
      status: row.status,
      statusReason: row.status_reason,
      currentStep: row.current_step,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      lastError: row.last_error,
      nextAttemptAt: row.next_attempt_at ? new Date(row.next_attempt_at) : null,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    })),
  };
}

export interface JournalStep {
  name: string;
  position: number;
  status: StepStatus;
  attempts: number;
  generation: number;
  error: string | null;
  output: Record<string, unknown> | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  compensatedAt: Date | null;
  /** Whether "re-run from here" is offered, and what it would do. */
  rerun: RerunOption;
}

/** A record with its step journal and manual tasks, for the record page (outputs redacted). */
export async function getFulfillmentRecord(em: EntityManager, recordId: string) {
  const record = await em.findOne(FulfillmentRecord, { id: recordId }, { populate: ['order'] });
  if (!record) throw new NotFoundError('No fulfillment record with this id.');
  const [steps, tasks] = await Promise.all([
    em.find(FulfillmentStep, { record: recordId }, { orderBy: { position: 'asc' } }),
    em.find(ManualTask, { record: recordId }, { orderBy: { createdAt: 'asc' } }),
  ]);
  const running = Boolean(record.lockedBy && record.lockedUntil && record.lockedUntil > new Date());
  const rerun = rerunOptions(record.status, steps, running);
  return {
    id: record.id,
    orderId: record.order.id,
    orderCode: record.order.orderCode,
    orderItemId: record.orderItem.id,
    driver: record.driver,
    subject: record.subject ?? null,
    status: record.status,
    statusReason: record.statusReason ?? null,
    currentStep: record.currentStep ?? null,
    attempts: record.attempts,
    maxAttempts: record.maxAttempts,
    lastError: record.lastError ?? null,
    lastErrorCode: record.lastErrorCode ?? null,
    externalReferenceId: record.externalReferenceId ?? null,
    nextAttemptAt: record.nextAttemptAt ?? null,
    scheduledFor: record.scheduledFor ?? null,
    payloadSnapshot: redact(record.payloadSnapshot),
    result: redact(record.result),
    isTest: record.isTest,
    startedAt: record.startedAt ?? null,
    completedAt: record.completedAt ?? null,
    failedAt: record.failedAt ?? null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    steps: steps.map(
      (step, index): JournalStep => ({
        name: step.name,
        position: step.position,
        status: step.status,
        attempts: step.attempts,
        generation: step.generation,
        error: step.error ?? null,
        output: step.output ? redact(step.output) : null,
        startedAt: step.startedAt ?? null,
        finishedAt: step.finishedAt ?? null,
        compensatedAt: step.compensatedAt ?? null,
        rerun: rerun[index] ?? { offered: false, effect: '' },
      }),
    ),
    tasks: tasks.map((task) => ({
      id: task.id,
      step: task.step,
      title: task.title,
      status: task.status as ManualTaskStatus,
      dueAt: task.dueAt ?? null,
    })),
  };
}

export type StaffFulfillmentRecord = Awaited<ReturnType<typeof getFulfillmentRecord>>;
