import { runGracePeriods } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/**
 * Cron (and at once after a renewal fails): subscriptions past due get their grace period, its
 * emails, and, once it runs out unpaid, their delivery suspended (seed 003).
 */
export const subscriptionGrace = (deps: TaskDeps) =>
  defineTask('subscription_grace', async () => {
    const { em, registry, clock, portalUrl } = deps.engine;
    const run = await runGracePeriods({ em, registry, clock, portalUrl, graceDays: deps.subscriptions.graceDays });
    if (run.started.length + run.reminded.length + run.suspended.length > 0) {
      deps.logger.info(run, 'subscription grace periods moved on');
    }
  });
