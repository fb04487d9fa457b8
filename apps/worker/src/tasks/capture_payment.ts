import { PAYMENT_GATEWAYS } from '@handover/contracts';
import { capturePayment as capture } from '@handover/core';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { TaskDeps } from './deps';

const payload = z.object({
  gateway: z.enum(PAYMENT_GATEWAYS),
  paymentId: z.string().min(1),
  pendingOrderId: z.uuid(),
});

/** Takes the money of an approved payment (PayPal Orders v2); a transient failure is retried by graphile-worker. */
export function capturePayment(deps: TaskDeps): Task {
  return async (raw) => {
    const parsed = payload.safeParse(raw);
    if (!parsed.success) {
      deps.logger.error({ payload: raw }, 'capture_payment job with an invalid payload; dropped');
      return;
    }
    await capture(deps.payments, parsed.data);
  };
}
