import { runRecordAction as run } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** Runs what a customer asked of a delivered record (the driver's action: an eSIM reissued). */
export const runRecordAction = (deps: TaskDeps) =>
  defineTask('run_record_action', async ({ actionId }, helpers) => {
    const outcome = await run(deps.engine, actionId, {
      attempt: helpers.job.attempts,
      lastAttempt: helpers.job.attempts >= helpers.job.max_attempts,
    });
    deps.logger.info({ actionId, outcome }, 'record action');
  });
