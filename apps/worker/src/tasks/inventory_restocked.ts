import { wakeWaitingRecords } from '@handover/core';
import type { Task } from 'graphile-worker';
import type { TaskDeps } from './deps';

/** Stock arrived: records waiting for inventory try again, oldest first. */
export function inventoryRestocked(deps: TaskDeps): Task {
  return async () => {
    const woken = await wakeWaitingRecords(deps.engine.em.fork(), { status: 'awaiting_inventory' });
    if (woken > 0) deps.logger.info({ woken }, 'woke records waiting for inventory');
  };
}
