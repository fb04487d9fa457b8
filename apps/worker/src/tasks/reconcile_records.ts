import { queueDueSyncs } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** Cron: the delivered records due for a look at their provider each get a `sync_record` job. */
export const reconcileRecords = (deps: TaskDeps) =>
  defineTask('reconcile_records', async () => {
    const { em, registry, clock } = deps.engine;
    const queued = await queueDueSyncs(em.fork(), registry, clock.now(), deps.reconcile);
    if (queued > 0) deps.logger.info({ queued }, 'queued delivered records for a provider check');
  });
