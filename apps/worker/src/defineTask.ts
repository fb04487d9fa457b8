import { CORRELATION_PAYLOAD_FIELD, correlationIdFrom, JOBS, type JobName, withCorrelation } from '@handover/core';
import type { JobHelpers, Task } from 'graphile-worker';
import { z } from 'zod';

/** A job's payload as its task receives it: parsed by the job's own schema (packages/core's JOBS). */
export type TaskPayload<N extends JobName> = z.output<(typeof JOBS)[N]['payload']>;

/**
 * The task that runs job `name`. Its payload is checked with the schema the job was added
 * with; a malformed one is logged and dropped, since running it again cannot help. It runs with
 * the correlation id the job was added under (a new one for a job nobody's request started, a
 * cron's), so its log lines, provider calls, emails and the jobs it adds carry it.
 */
export function defineTask<N extends JobName>(
  name: N,
  run: (payload: TaskPayload<N>, helpers: JobHelpers) => Promise<void>,
): Task<N> {
  // JOBS[name] is the definition of N; TypeScript does not follow a generic key into a union.
  const schema = JOBS[name].payload as unknown as z.ZodType<TaskPayload<N>>;
  return async (raw, helpers) => {
    const correlationId = correlationIdFrom((raw as Record<string, unknown> | null)?.[CORRELATION_PAYLOAD_FIELD]);
    return withCorrelation(correlationId, async () => {
      const parsed = schema.safeParse(raw ?? {});
      if (!parsed.success) {
        helpers.logger.error(`${name} job with an invalid payload, dropped: ${z.prettifyError(parsed.error)}`);
        return;
      }
      await run(parsed.data, helpers);
    });
  };
}
