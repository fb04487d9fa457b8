import { retryDeferredPaymentEvent } from '@handover/core';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { TaskDeps } from './deps';

const payload = z.object({ paymentEventId: z.uuid() });

/** Another look at a payment event that arrived before what it refers to (the inbox deferred it). */
export function processPaymentEvent(deps: TaskDeps): Task {
  return async (raw) => {
    const parsed = payload.safeParse(raw);
    if (!parsed.success) {
      deps.logger.error({ payload: raw }, 'process_payment_event job without a valid paymentEventId; dropped');
      return;
    }
    await retryDeferredPaymentEvent(deps.payments, parsed.data.paymentEventId);
  };
}
