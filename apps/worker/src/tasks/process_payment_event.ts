import { retryDeferredPaymentEvent } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** Another look at a payment event that arrived before what it refers to (the inbox deferred it). */
export const processPaymentEvent = (deps: TaskDeps) =>
  defineTask('process_payment_event', async ({ paymentEventId }) => {
    await retryDeferredPaymentEvent(deps.payments, paymentEventId);
  });
