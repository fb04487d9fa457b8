import { runEndAction } from '@handover/core';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { TaskDeps } from './deps';

const payload = z.object({ recordId: z.uuid() });

/** A subscription ended: the adapter's `suspend` for one delivered record, which then shows `suspended`. */
export function suspendFulfillment(deps: TaskDeps): Task {
  return async (raw, helpers) => {
    const parsed = payload.safeParse(raw);
    if (!parsed.success) {
      deps.logger.error({ payload: raw }, 'suspend_fulfillment job without a valid recordId; dropped');
      return;
    }
    const outcome = await runEndAction(deps.engine, parsed.data.recordId, 'suspend', {
      attempt: helpers.job.attempts,
      lastAttempt: helpers.job.attempts >= helpers.job.max_attempts,
    });
    deps.logger.info({ recordId: parsed.data.recordId, outcome }, 'suspend finished');
  };
}
