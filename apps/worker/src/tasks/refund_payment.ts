import { submitGatewayRefund } from '@handover/core';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { TaskDeps } from './deps';

const payload = z.object({ refundId: z.uuid() });

/**
 * Sends a refund again that its gateway did not answer, with the same idempotency key.
 * graphile-worker retries it with backoff; on the last attempt it is marked failed.
 */
export function refundPayment(deps: TaskDeps): Task {
  return async (raw, helpers) => {
    const parsed = payload.safeParse(raw);
    if (!parsed.success) {
      deps.logger.error({ payload: raw }, 'refund_payment job without a valid refundId; dropped');
      return;
    }
    const last = helpers.job.attempts >= helpers.job.max_attempts;
    await submitGatewayRefund(deps.payments, parsed.data.refundId, { onTransient: last ? 'fail' : 'throw' });
  };
}
