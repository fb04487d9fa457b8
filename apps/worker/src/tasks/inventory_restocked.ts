import { wakeWaitingRecords } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** Stock arrived: records waiting for inventory try again, oldest first. */
export const inventoryRestocked = (deps: TaskDeps) =>
  defineTask('inventory_restocked', async () => {
    const woken = await wakeWaitingRecords(deps.engine.em.fork(), { status: 'awaiting_inventory' });
    if (woken > 0) deps.logger.info({ woken }, 'woke records waiting for inventory');
  });
