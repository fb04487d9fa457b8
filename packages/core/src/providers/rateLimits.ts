import type pg from 'pg';
import { autocommit } from '../database/sql';

/** A vendor's limit: calls per second across every worker process, and how many may go at once after a lull. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/**
 * Takes one call's token from the vendor's bucket (provider_rate_limits), shared by every
 * process: the bucket refills at `perSecond` up to `burst`, and a call that finds it empty still
 * takes its token (the bucket goes below zero) and is told how long to wait for its turn. One
 * statement, on the row's lock, so processes queue fairly. Returns the wait in ms (0: go now).
 */
export async function takeRateLimitToken(pool: pg.Pool, vendor: string, limit: RateLimit): Promise<number> {
  const refill = `least(?::float8, provider_rate_limits.tokens
                   + extract(epoch from clock_timestamp() - provider_rate_limits.refilled_at) * ?::float8) - 1`;
  const [row] = await autocommit<{ tokens: number }>(
    pool,
    `insert into provider_rate_limits (vendor, per_second, burst, tokens, refilled_at, waits, updated_at)
     values (?, ?, ?, ? - 1, clock_timestamp(), 0, clock_timestamp())
     on conflict (vendor) do update set
       per_second = excluded.per_second, burst = excluded.burst,
       tokens = ${refill},
       waits = provider_rate_limits.waits + case when ${refill} < 0 then 1 else 0 end,
       refilled_at = clock_timestamp(), updated_at = clock_timestamp()
     returning tokens`,
    [vendor, limit.perSecond, limit.burst, limit.burst, limit.burst, limit.perSecond, limit.burst, limit.perSecond],
  );
  const tokens = Number(row?.tokens ?? 0);
  return tokens >= 0 ? 0 : Math.ceil((-tokens / limit.perSecond) * 1000);
}

/** Gives a taken token back (a call that will not be made after all: it would have waited too long). */
export async function returnRateLimitToken(pool: pg.Pool, vendor: string): Promise<void> {
  await autocommit(pool, 'update provider_rate_limits set tokens = tokens + 1 where vendor = ?', [vendor]);
}
