import type { EntityManager } from '@mikro-orm/postgresql';
import { addJob, type JobSpec } from '../jobs/addJob';

/** Worker tasks of the money flow (apps/worker/src/tasks/<name>.ts). */
export const PROCESS_PAYMENT_EVENT_TASK = 'process_payment_event';
export const CAPTURE_PAYMENT_TASK = 'capture_payment';
export const REFUND_PAYMENT_TASK = 'refund_payment';

/**
 * Waits before each new look at an event that arrived before what it refers to (a payment for a
 * pending order not yet visible, a renewal before its subscription). After the last, an alert.
 */
export const DEFERRED_EVENT_RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000];

/** Another look at a deferred inbox row at `runAt`. */
export function deferredEventJobSpec(paymentEventId: string, runAt: Date): JobSpec {
  return {
    task: PROCESS_PAYMENT_EVENT_TASK,
    payload: { paymentEventId },
    jobKey: `payment_event:${paymentEventId}`,
    runAt,
    // The task schedules its own next look; graphile-worker only redelivers a crash.
    maxAttempts: 5,
  };
}

/** Asks the worker to capture an approved payment (PayPal Orders v2). */
export function captureJobSpec(payload: { gateway: string; paymentId: string; pendingOrderId: string }): JobSpec {
  return {
    task: CAPTURE_PAYMENT_TASK,
    payload,
    jobKey: `capture:${payload.gateway}:${payload.paymentId}`,
    // graphile-worker's backoff between attempts: a gateway that is down gets about a day.
    maxAttempts: 12,
  };
}

/** Retries sending a refund the gateway did not answer, with the same idempotency key. */
export async function enqueueRefundRetry(em: EntityManager, refundId: string, runAt: Date): Promise<void> {
  await addJob(em, {
    task: REFUND_PAYMENT_TASK,
    payload: { refundId },
    jobKey: `refund:${refundId}`,
    runAt,
    maxAttempts: 12,
  });
}
