import { syncRecord as sync } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** Asks one delivered record's provider about it (the driver's syncStatus); a drift alerts ops. */
export const syncRecord = (deps: TaskDeps) =>
  defineTask('sync_record', async ({ recordId }, helpers) => {
    const outcome = await sync(deps.engine, recordId, { attempt: helpers.job.attempts });
    deps.logger.debug({ recordId, outcome }, 'provider check finished');
  });
