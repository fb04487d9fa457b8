import { expirePendingOrders } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** Cron: abandoned checkouts past their expiry become `expired` (seed 000's pending_orders). */
export const expirePendingOrdersTask = (deps: TaskDeps) =>
  defineTask('expire_pending_orders', async () => {
    const expired = await expirePendingOrders(deps.orm.em.fork(), deps.clock.now());
    if (expired > 0) deps.logger.info({ expired }, 'expired abandoned checkouts');
  });
