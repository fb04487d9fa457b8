import { submitGatewayRefund } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/**
 * Sends a refund again that its gateway did not answer, with the same idempotency key.
 * graphile-worker retries it with backoff; on the last attempt it is marked failed.
 */
export const refundPayment = (deps: TaskDeps) =>
  defineTask('refund_payment', async ({ refundId }, helpers) => {
    const last = helpers.job.attempts >= helpers.job.max_attempts;
    await submitGatewayRefund(deps.payments, refundId, { onTransient: last ? 'fail' : 'throw' });
  });
