import { queueDueActivations } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** Cron: preflights and activations due by the clock get their job now (for any whose own job was missed). */
export const activationsDue = (deps: TaskDeps) =>
  defineTask('activations_due', async () => {
    const { em, clock } = deps.engine;
    const due = await queueDueActivations(em.fork(), clock.now(), { recheckAfterMs: deps.activation.recheckAfterMs });
    if (due.activations + due.preflights > 0) deps.logger.info(due, 'queued due activations and preflights');
  });
