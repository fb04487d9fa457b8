import { JOBS, type JobName } from '@handover/core';
import type { JobHelpers, Task } from 'graphile-worker';
import { z } from 'zod';

/** A job's payload as its task receives it: parsed by the job's own schema (packages/core's JOBS). */
export type TaskPayload<N extends JobName> = z.output<(typeof JOBS)[N]['payload']>;

/**
 * The task that runs job `name`. Its payload is checked with the schema the job was added
 * with; a malformed one is logged and dropped, since running it again cannot help.
 */
export function defineTask<N extends JobName>(
  name: N,
  run: (payload: TaskPayload<N>, helpers: JobHelpers) => Promise<void>,
): Task<N> {
  // JOBS[name] is the definition of N; TypeScript does not follow a generic key into a union.
  const schema = JOBS[name].payload as unknown as z.ZodType<TaskPayload<N>>;
  return async (raw, helpers) => {
    const parsed = schema.safeParse(raw ?? {});
    if (!parsed.success) {
      helpers.logger.error(`${name} job with an invalid payload, dropped: ${z.prettifyError(parsed.error)}`);
      return;
    }
    await run(parsed.data, helpers);
  };
}
