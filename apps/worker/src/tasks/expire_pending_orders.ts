import { expirePendingOrders } from '@handover/core';
import type { Task } from 'graphile-worker';
import type { TaskDeps } from './deps';

/** Cron: abandoned checkouts past their expiry become `expired` (seed 000's pending_orders). */
export function expirePendingOrdersTask(deps: TaskDeps): Task {
  return async () => {
    const expired = await expirePendingOrders(deps.orm.em.fork(), deps.clock.now());
    if (expired > 0) deps.logger.info({ expired }, 'expired abandoned checkouts');
  };
}
