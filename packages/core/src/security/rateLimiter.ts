import type { Clock } from '../clock';

export interface RateLimitSettings {
  /** Calls allowed on average per minute. */
  perMinute: number;
  /** Calls that may come at once after a quiet spell. */
  burst: number;
}

export type RateVerdict = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

/**
 * A token bucket per key (an API token's id), kept in this process: each key holds up to `burst`
 * calls and earns `perMinute` a minute. Several server processes each keep their own buckets,
 * so the limit a client sees is per process; what it protects is each process's share of work.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly clock: Clock,
    /** Buckets kept at most; full ones (idle keys) are dropped first. */
    private readonly maxKeys = 10_000,
  ) {
    this.perMs = settings.perMinute / 60_000;
  }

  /** Takes one call from `key`'s bucket, or says how long until one is there. */
  take(key: string): RateVerdict {
    const now = this.clock.now().getTime();
    const bucket = this.buckets.get(key) ?? { tokens: this.settings.burst, at: now };
    const tokens = Math.min(this.settings.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return { allowed: false, retryAfterMs: Math.ceil((1 - tokens) / this.perMs) };
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.buckets.size > this.maxKeys) this.dropIdle(now);
    return { allowed: true, remaining: Math.floor(tokens - 1) };
  }

  private dropIdle(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.settings.burst) this.buckets.delete(key);
    }
    // Still too many (all busy): the oldest go.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}
