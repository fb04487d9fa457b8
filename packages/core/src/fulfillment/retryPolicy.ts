import type { RetryPolicy } from '@handover/db';

/** Seed 000: three attempts, waiting 2 s and then 4 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, backoffSeconds: [2, 4] };

/**
 * When to try again after failed attempt number `attempt` (1-based), or null when the policy
 * is spent. A provider's Retry-After wins when it asks for longer.
 */
export function nextAttemptAt(policy: RetryPolicy, attempt: number, now: Date, retryAfterMs?: number): Date | null {
  if (attempt >= policy.maxAttempts) return null;
  const waits = policy.backoffSeconds.length > 0 ? policy.backoffSeconds : [0];
  const backoffMs = (waits[Math.min(attempt - 1, waits.length - 1)] ?? 0) * 1000;
  return new Date(now.getTime() + Math.max(backoffMs, retryAfterMs ?? 0));
}
