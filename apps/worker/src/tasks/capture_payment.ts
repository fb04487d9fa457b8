import { capturePayment as capture } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** Takes the money of an approved payment (PayPal Orders v2); a transient failure is retried by graphile-worker. */
export const capturePayment = (deps: TaskDeps) =>
  defineTask('capture_payment', async (payload) => {
    await capture(deps.payments, payload);
  });
