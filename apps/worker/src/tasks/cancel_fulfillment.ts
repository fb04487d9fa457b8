import { runEndAction } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** A refunded order: the adapter's `cancel` for one delivered record (licence revoked, tenant cancelled). */
export const cancelFulfillment = (deps: TaskDeps) =>
  defineTask('cancel_fulfillment', async ({ recordId }, helpers) => {
    const outcome = await runEndAction(deps.engine, recordId, 'cancel', {
      attempt: helpers.job.attempts,
      lastAttempt: helpers.job.attempts >= helpers.job.max_attempts,
    });
    deps.logger.info({ recordId, outcome }, 'cancel finished');
  });
