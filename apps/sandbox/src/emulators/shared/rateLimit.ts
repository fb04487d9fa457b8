import { z } from 'zod';

/** A vendor's request allowance: `limit` requests per `windowSeconds`, per key (a user, a domain). */
export const rateLimitSchema = z
  .object({
    limit: z.number().int().min(1).max(1_000_000),
    windowSeconds: z.number().int().min(1).max(86_400),
  })
  .strict();

export type RateLimit = z.output<typeof rateLimitSchema>;

/**
 * A sliding-window counter, as registrars and Laravel's throttle count requests. `take` admits a
 * request or says how many seconds until one would be admitted (the Retry-After to send).
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private limit: RateLimit,
    private readonly now: () => Date,
  ) {}

  get settings(): RateLimit {
    return this.limit;
  }

  take(key: string): { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number } {
    const now = this.now().getTime();
    const windowMs = this.limit.windowSeconds * 1000;
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - windowMs);
    if (recent.length >= this.limit.limit) {
      this.hits.set(key, recent);
      const oldest = recent[recent.length - this.limit.limit] ?? now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
    }
    recent.push(now);
    this.hits.set(key, recent);
    return { allowed: true, remaining: this.limit.limit - recent.length };
  }

  /** New allowance; counts so far are forgotten. */
  configure(limit: RateLimit): void {
    this.limit = limit;
    this.hits.clear();
  }
}
