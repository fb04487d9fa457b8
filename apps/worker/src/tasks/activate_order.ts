import { activateWhenDue } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** Seed 004 5a: the activation date came: the order's scheduled records start (the same path as "Activate now"). */
export const activateOrder = (deps: TaskDeps) =>
  defineTask('activate_order', async ({ orderId }) => {
    const { em, clock, portalUrl } = deps.engine;
    const outcome = await activateWhenDue(em, orderId, { now: clock.now(), portalUrl });
    deps.logger.info({ orderId, outcome }, 'scheduled activation');
  });
