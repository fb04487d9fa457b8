import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, nextAttemptAt } from './retryPolicy';

const t0 = new Date('2026-02-03T02:00:00Z');
const later = (date: Date | null) => (date ? (date.getTime() - t0.getTime()) / 1000 : null);

describe('nextAttemptAt', () => {
  it('follows seed 000: attempt 2 after 2 s, attempt 3 after 4 s, then gives up', () => {
    expect(later(nextAttemptAt(DEFAULT_RETRY_POLICY, 1, t0))).toBe(2);
    expect(later(nextAttemptAt(DEFAULT_RETRY_POLICY, 2, t0))).toBe(4);
    expect(nextAttemptAt(DEFAULT_RETRY_POLICY, 3, t0)).toBeNull();
  });

  it('follows seed 002: 5 min, 15 min, 1 h with a fourth attempt allowed', () => {
    const policy = { maxAttempts: 4, backoffSeconds: [300, 900, 3600] };
    expect([1, 2, 3].map((n) => later(nextAttemptAt(policy, n, t0)))).toEqual([300, 900, 3600]);
    expect(nextAttemptAt(policy, 4, t0)).toBeNull();
  });

  it('repeats the last wait when the policy allows more attempts than waits', () => {
    expect(later(nextAttemptAt({ maxAttempts: 6, backoffSeconds: [1, 5] }, 4, t0))).toBe(5);
  });

  it("waits for the provider's Retry-After when it is longer than the backoff", () => {
    expect(later(nextAttemptAt(DEFAULT_RETRY_POLICY, 1, t0, 30_000))).toBe(30);
    expect(later(nextAttemptAt(DEFAULT_RETRY_POLICY, 1, t0, 500))).toBe(2);
  });
});
