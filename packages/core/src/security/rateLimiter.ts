import type { EntityManager } from '@mikro-orm/postgresql';
import { preparedQuery } from '../database/preparedQuery';

export interface RateLimitSettings {
  /** Calls allowed on average per minute. */
  perMinute: number;
  /** Calls that may come at once after a quiet spell. */
  burst: number;
}

export type RateVerdict = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

/** The bucket as the taking statement left it. */
export interface BucketAfterCall {
  tokens: number;
  allowed: boolean;
}

/** What a call is told: how many calls are left, or how long until the next one is earned. */
export function verdictOf(bucket: BucketAfterCall, settings: RateLimitSettings): RateVerdict {
  if (bucket.allowed) return { allowed: true, remaining: Math.floor(bucket.tokens) };
  return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) * 60_000) / settings.perMinute) };
}

/**
 * The bucket's calls now: what it held at `refilled_at`, plus what it earned since (never less
 * than that, should the database's clock step back), up to the burst. Computed once per call,
 * at the database's clock when the row's lock is held, so every server process counts alike.
 */
const REFILL = `select least(?::float8, api_token_rate_limits.tokens
                      + greatest(0, extract(epoch from at - api_token_rate_limits.refilled_at)) * ?::float8) as tokens,
                at
                from (select clock_timestamp() as at) as clock`;

/**
 * One statement: the first call makes the bucket full less that call; a later one refills it by
 * the time elapsed and takes a call if there is one. A refused call takes nothing, so the bucket
 * never goes below zero and a client that keeps knocking still gets in once a call is earned.
 */
const TAKE = `insert into api_token_rate_limits (token_id, tokens, refilled_at, last_allowed)
              values (?, ?::float8 - 1, clock_timestamp(), true)
              on conflict (token_id) do update set (tokens, last_allowed, refilled_at) = (
                select case when refill.tokens >= 1 then refill.tokens - 1 else refill.tokens end,
                       refill.tokens >= 1,
                       refill.at
                  from (${REFILL}) as refill)
              returning tokens, last_allowed`;

/**
 * Each API token's budget of calls, one bucket per token shared by every server process
 * (api_token_rate_limits): up to `burst` calls at once, refilled at `perMinute`. Each call is
 * one statement on the token's row, whose lock makes concurrent calls queue.
 */
export class RateLimiter {
  constructor(private readonly settings: RateLimitSettings) {}

  /** Takes one call from the token's bucket, or says how long until one is there. */
  async take(em: EntityManager, tokenId: string): Promise<RateVerdict> {
    const { perMinute, burst } = this.settings;
    const [row] = await preparedQuery<{ tokens: number; last_allowed: boolean }>(em, TAKE, [
      tokenId,
      burst,
      burst,
      perMinute / 60,
    ]);
    if (!row) throw new Error('The API token rate limit statement returned no row.');
    return verdictOf({ tokens: Number(row.tokens), allowed: row.last_allowed }, this.settings);
  }
}
