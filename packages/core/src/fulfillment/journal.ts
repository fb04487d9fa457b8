import type { FulfillmentLogKind, FulfillmentLogStatus, StepStatus } from '@handover/contracts';
import type { WriteBatch } from '../database/writeBatch';
import { currentCorrelationId } from '../observability/correlation';
import type { ProviderCall } from '../providers/providerCalls';

/**
 * The key sent to the provider for a step: the same on every attempt, so a retried call
 * after a crash or timeout is recognised; a new generation only when the step must be redone.
 */
export function stepIdempotencyKey(recordId: string, step: string, generation: number): string {
  return generation === 0 ? `${recordId}:${step}` : `${recordId}:${step}:g${generation}`;
}

/** A step's journal entry as the engine reads it back. */
export interface JournalEntry {
  name: string;
  status: StepStatus;
  generation: number;
  output: Record<string, unknown> | null;
}

/** What a step's journal entry becomes, written in the transaction of its outcome. */
export interface StepWrite {
  recordId: string;
  name: string;
  position: number;
  status: Exclude<StepStatus, 'running'>;
  idempotencyKey: string;
  output?: Record<string, unknown> | null;
  error?: string | null;
  /** One attempt more on the entry (not for a wait or a compensation). */
  attempted: boolean;
  now: Date;
}

/**
 * Upserts a step's journal entry. A step journalled `done` is never run again; `compensated`
 * bumps its generation, so a later redo gets a new idempotency key.
 */
export function journalStep(batch: WriteBatch, w: StepWrite): void {
  const done = w.status === 'done';
  const compensated = w.status === 'compensated';
  const conflict = `on conflict (record_id, name) do update set
       status = excluded.status,
       idempotency_key = case when ? then fulfillment_steps.idempotency_key else excluded.idempotency_key end,
       output = coalesce(excluded.output, fulfillment_steps.output),
       attempts = fulfillment_steps.attempts + excluded.attempts,
       error = excluded.error,
       finished_at = coalesce(excluded.finished_at, fulfillment_steps.finished_at),
       compensated_at = coalesce(excluded.compensated_at, fulfillment_steps.compensated_at),
       generation = fulfillment_steps.generation + case when ? then 1 else 0 end,
       updated_at = excluded.updated_at
     returning 1`;
  const columns = `fulfillment_steps (id, record_id, name, position, status, generation, idempotency_key, output,
                                      attempts, error, started_at, finished_at, compensated_at, created_at, updated_at)`;
  batch.write(
    `insert into ${columns}
     values (gen_random_uuid(), ?, ?, ?, ?, case when ? then 1 else 0 end, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
     ${conflict}`,
    [
      w.recordId,
      w.name,
      w.position,
      w.status,
      compensated,
      w.idempotencyKey,
      w.output === undefined || w.output === null ? null : JSON.stringify(w.output),
      w.attempted ? 1 : 0,
      w.error ?? null,
      w.now,
      done ? w.now : null,
      compensated ? w.now : null,
      w.now,
      w.now,
      compensated,
      compensated,
    ],
    `insert into ${columns}
     select gen_random_uuid(), ?::uuid, ?::varchar, ?::int, ?::text, case when ?::boolean then 1 else 0 end, ?::varchar,
            ?::jsonb, ?::int, ?::text, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::timestamptz
      where exists (select 1 from lead)
     ${conflict.replace('case when ? then fulfillment_steps', 'case when ?::boolean then fulfillment_steps').replace('case when ? then 1', 'case when ?::boolean then 1')}`,
  );
}

/** Who a log row is about: the record, with the seed 002 columns the log filters use. */
export interface LogSubject {
  recordId: string;
  orderId: string;
  driver: string;
  subject: string | null;
  network: string | null;
  phoneNumber: string | null;
  maxAttempts: number;
}

export interface LogEntry {
  kind: FulfillmentLogKind;
  status: FulfillmentLogStatus;
  step: string | null;
  attemptNumber?: number;
  errorMessage?: string | null;
  durationMs?: number | null;
  retryAfter?: Date | null;
  fulfilledAt?: Date | null;
  /** What the provider answered, when the entry is about an answer (a status check). */
  apiResponse?: unknown;
}

/** fulfillment_logs rows: an attempt, a transition, a compensation, and each provider call made. */
export function logRows(
  batch: WriteBatch,
  who: LogSubject,
  entries: LogEntry[],
  calls: { step: string | null; attempt: number; kind?: 'provider_call' | 'compensation'; list: ProviderCall[] }[],
  now: Date,
): void {
  const base = {
    record_id: who.recordId,
    order_id: who.orderId,
    driver: who.driver,
    subject: who.subject,
    network: who.network,
    phone_number: who.phoneNumber,
    max_attempts: who.maxAttempts,
    correlation_id: currentCorrelationId() ?? null,
  };
  const rows: Record<string, unknown>[] = [];
  for (const group of calls) {
    for (const call of group.list) {
      rows.push({
        ...base,
        kind: group.kind ?? 'provider_call',
        step: group.step,
        status: call.error ? 'failed' : 'success',
        attempt_number: group.attempt,
        method: call.method,
        url: call.url,
        request: json(call.request),
        api_response: json(call.response),
        http_status: call.httpStatus,
        duration_ms: call.durationMs,
        error_message: call.error,
        retry_after: null,
        fulfilled_at: null,
        created_at: now,
      });
    }
  }
  for (const entry of entries) {
    rows.push({
      ...base,
      kind: entry.kind,
      step: entry.step,
      status: entry.status,
      attempt_number: entry.attemptNumber ?? 1,
      method: null,
      url: null,
      request: null,
      api_response: json(entry.apiResponse),
      http_status: null,
      duration_ms: entry.durationMs ?? null,
      error_message: entry.errorMessage ?? null,
      retry_after: entry.retryAfter ?? null,
      fulfilled_at: entry.fulfilledAt ?? null,
      created_at: now,
    });
  }
  if (rows.length > 0) batch.insert('fulfillment_logs', rows);
}

/** A value for a json column, as JSON text (a plain string must go in quoted). */
const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));
