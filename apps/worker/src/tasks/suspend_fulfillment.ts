import { runEndAction } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** A subscription ended: the adapter's `suspend` for one delivered record, which then shows `suspended`. */
export const suspendFulfillment = (deps: TaskDeps) =>
  defineTask('suspend_fulfillment', async ({ recordId }, helpers) => {
    const outcome = await runEndAction(deps.engine, recordId, 'suspend', {
      attempt: helpers.job.attempts,
      lastAttempt: helpers.job.attempts >= helpers.job.max_attempts,
    });
    deps.logger.info({ recordId, outcome }, 'suspend finished');
  });
