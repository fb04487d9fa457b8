import type { EntityManager } from '@mikro-orm/postgresql';
import { addJob, jobSpec } from '../jobs/addJob';

/**
 * Waits before each new look at an event that arrived before what it refers to (a payment for a
 * pending order not yet visible, a renewal before its subscription). After the last, an alert.
 */
export const DEFERRED_EVENT_RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000];

/** Retries sending a refund the gateway did not answer, with the same idempotency key. */
export async function enqueueRefundRetry(em: EntityManager, refundId: string, runAt: Date): Promise<void> {
  await addJob(em, jobSpec('refund_payment', { refundId }, { runAt }));
}
