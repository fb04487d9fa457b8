import { runActivationPreflight } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/**
 * Seed 004 5a: T−3 days before a scheduled activation, checks what it needs and tells the
 * customer and ops what is missing. A check whose system does not answer is retried.
 */
export const activationPreflight = (deps: TaskDeps) =>
  defineTask('activation_preflight', async ({ orderId, force }, helpers) => {
    const outcome = await runActivationPreflight(
      { ...deps.engine, checks: deps.activation.checks, recheckAfterMs: deps.activation.recheckAfterMs },
      orderId,
      { attempt: helpers.job.attempts, force: force ?? false },
    );
    deps.logger.info({ orderId, outcome }, 'activation preflight');
  });
