import { runResumeAction } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** A suspended subscription was paid again: the adapter's `resume` for one record, which is then delivered again. */
export const resumeFulfillment = (deps: TaskDeps) =>
  defineTask('resume_fulfillment', async ({ recordId }, helpers) => {
    const outcome = await runResumeAction(deps.engine, recordId, {
      attempt: helpers.job.attempts,
      lastAttempt: helpers.job.attempts >= helpers.job.max_attempts,
    });
    deps.logger.info({ recordId, outcome }, 'resume finished');
  });
