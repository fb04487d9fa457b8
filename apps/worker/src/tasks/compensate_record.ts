import { retryPendingCompensation } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** Tries an unfinished undo again (its inventory stays quarantined until it succeeds). */
export const compensateRecord = (deps: TaskDeps) =>
  defineTask('compensate_record', async ({ recordId }) => {
    const outcome = await retryPendingCompensation(
      { ...deps.engine, retryDelaysMs: deps.engine.compensationRetryDelaysMs },
      recordId,
    );
    if (outcome === 'done')
      deps.logger.info({ recordId }, 'an unfinished undo finished; its inventory is back in its pool');
    else if (outcome === 'abandoned')
      deps.logger.error({ recordId }, 'an undo still fails after its last try: ops decide');
    else if (outcome === 'pending') deps.logger.warn({ recordId }, 'an undo failed again; it will be tried later');
  });
