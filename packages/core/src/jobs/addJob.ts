import type { EntityManager } from '@mikro-orm/postgresql';
import { CORRELATION_PAYLOAD_FIELD, currentCorrelationId } from '../observability/correlation';
import { JOBS, type JobName, type JobPayload } from './definitions';

export interface JobSpec<N extends JobName = JobName> {
  /** Task identifier, as named in the worker's task list (e.g. `fulfill`). */
  task: N;
  /** Ids, never whole objects. */
  payload: JobPayload<N>;
  /** Deduplicates: a second job with the same key replaces the first unless it is running. */
  jobKey?: string;
  jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe';
  runAt?: Date;
  maxAttempts?: number;
  queueName?: string;
  priority?: number;
}

/**
 * The job `name` with `payload`, its key and attempts as JOBS defines them. `runAt` delays it;
 * `newRow` says the key names a row made in the same transaction (see forNewRow).
 */
export function jobSpec<N extends JobName>(
  name: N,
  payload: JobPayload<N>,
  options: { runAt?: Date; newRow?: boolean } = {},
): JobSpec<N> {
  // biome-ignore lint/suspicious/noExplicitAny: JOBS[name]'s key takes JobPayload<N>, which TypeScript cannot follow through the index.
  const definition = JOBS[name] as { key?: (payload: any) => string; maxAttempts?: number };
  const spec: JobSpec<N> = {
    task: name,
    payload,
    jobKey: definition.key?.(payload),
    maxAttempts: definition.maxAttempts,
    runAt: options.runAt,
  };
  return options.newRow ? forNewRow(spec) : spec;
}

/**
 * The `graphile_worker.add_job(...)` call for `spec`, with its parameters: one place for its keys
 * and rules. The correlation id current when the job is added travels in its payload.
 */
export function addJobCall(spec: JobSpec): { sql: string; params: unknown[] } {
  const correlationId = currentCorrelationId();
  const payload = correlationId ? { ...spec.payload, [CORRELATION_PAYLOAD_FIELD]: correlationId } : spec.payload;
  return {
    sql: `graphile_worker.add_job(
       identifier => ?, payload => ?::json, queue_name => ?, run_at => ?::timestamptz,
       max_attempts => ?, job_key => ?, priority => ?, job_key_mode => ?)`,
    params: [
      spec.task,
      JSON.stringify(payload),
      spec.queueName ?? null,
      spec.runAt?.toISOString() ?? null,
      spec.maxAttempts ?? null,
      spec.jobKey ?? null,
      spec.priority ?? null,
      spec.jobKeyMode ?? 'replace',
    ],
  };
}

/**
 * `spec` for a job key no job can hold yet, because it names a row created in the same
 * transaction (a new record, message or inbox row). graphile-worker's plain insert
 * (`unsafe_dedupe`) is then exactly what `replace` would do, without the sweep `replace` makes
 * for a running job with the key (through graphile-worker's set-returning `add_jobs`): a third to
 * a half of the cost, whether the queue holds none or a hundred thousand jobs.
 */
export function forNewRow<N extends JobName>(spec: JobSpec<N>): JobSpec<N> {
  return { ...spec, jobKeyMode: 'unsafe_dedupe' };
}

/**
 * Adds a graphile-worker job through `em`'s connection, so it commits or rolls back with the
 * rows that need it: no dual write, nothing lost on a crash. Call inside `em.transactional`.
 */
export async function addJob(em: EntityManager, spec: JobSpec): Promise<void> {
  const call = addJobCall(spec);
  await em.execute(`select ${call.sql}`, call.params);
}
