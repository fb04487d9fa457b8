import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';
import { RateLimitedError } from '../errors';

/** At most `limit` hits per `windowMs` for one key (an IP, an address) of a scope. */
export interface ThrottleRule {
  scope: string;
  limit: number;
  windowMs: number;
}

/**
 * The public forms' throttles. Per-IP rules answer 429; per-address rules never do (that would
 * tell which addresses exist): over them, the form answers as usual and sends nothing.
 */
export const THROTTLES = {
  signUpPerIp: { scope: 'sign_up:ip', limit: 20, windowMs: 60 * 60_000 },
  /** Sign-ups and "send the link again" for one address: the emails a stranger can make us send it. */
  signUpPerAddress: { scope: 'sign_up:address', limit: 3, windowMs: 60 * 60_000 },
  resetRequestPerIp: { scope: 'reset_request:ip', limit: 20, windowMs: 60 * 60_000 },
  /** Uses of reset and verification links, good or bad, from one IP. */
  linkUsePerIp: { scope: 'link_use:ip', limit: 30, windowMs: 15 * 60_000 },
  /** Refused operator-API signatures from one IP: past this, calls are refused before any check. */
  operatorRefusalsPerIp: { scope: 'operator_refused:ip', limit: 20, windowMs: 60_000 },
} as const satisfies Record<string, ThrottleRule>;

export interface ThrottleCount {
  /** Hits in the current window, this one included when it was counted. */
  count: number;
  allowed: boolean;
  retryAfterMs: number;
}

function windowOf(rule: ThrottleRule, now: Date) {
  const start = Math.floor(now.getTime() / rule.windowMs) * rule.windowMs;
  return { start: new Date(start), end: new Date(start + rule.windowMs) };
}

/**
 * Counts one hit for `key` and says whether it is within the rule. Runs as its own statement:
 * call it outside a transaction, so that a refusal's rollback does not uncount it.
 */
export async function hitThrottle(
  em: EntityManager,
  rule: ThrottleRule,
  key: string,
  clock: Clock,
): Promise<ThrottleCount> {
  const now = clock.now();
  const window = windowOf(rule, now);
  const [row] = await em.execute<{ count: number }[]>(
    `insert into throttle_counters (scope, key, window_start, count, expires_at) values (?, ?, ?, 1, ?)
       on conflict (scope, key, window_start) do update set count = throttle_counters.count + 1
     returning count`,
    [rule.scope, key.slice(0, 320), window.start, window.end],
  );
  const count = row?.count ?? 1;
  // A new window's first hit also clears a few windows that are over, so the table stays small.
  if (count === 1) await pruneThrottleCounters(em, now);
  return verdict(rule, count, window.end, now);
}

/** The current window's count for `key`, without counting a hit. */
export async function peekThrottle(
  em: EntityManager,
  rule: ThrottleRule,
  key: string,
  clock: Clock,
): Promise<ThrottleCount> {
  const now = clock.now();
  const window = windowOf(rule, now);
  const [row] = await em.execute<{ count: number }[]>(
    'select count from throttle_counters where scope = ? and key = ? and window_start = ?',
    [rule.scope, key.slice(0, 320), window.start],
  );
  // Peeking asks whether one more would pass.
  return verdict(rule, (row?.count ?? 0) + 1, window.end, now);
}

function verdict(rule: ThrottleRule, count: number, windowEnd: Date, now: Date): ThrottleCount {
  return { count, allowed: count <= rule.limit, retryAfterMs: Math.max(0, windowEnd.getTime() - now.getTime()) };
}

/** The 429 of a per-IP rule: it names no address, so it tells nothing about accounts. */
export function tooManyRequests(retryAfterMs: number): RateLimitedError {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return new RateLimitedError(
    `Too many requests from your network. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    retryAfterMs,
  );
}

/** Counts a hit and throws the 429 when the rule is exceeded. */
export async function enforceThrottle(em: EntityManager, rule: ThrottleRule, key: string, clock: Clock): Promise<void> {
  const hit = await hitThrottle(em, rule, key, clock);
  if (!hit.allowed) throw tooManyRequests(hit.retryAfterMs);
}

/** Deletes up to `limit` windows that are over. */
async function pruneThrottleCounters(em: EntityManager, now: Date, limit = 100): Promise<void> {
  await em.execute(
    `delete from throttle_counters where (scope, key, window_start) in
       (select scope, key, window_start from throttle_counters where expires_at < ? limit ?)`,
    [now, limit],
  );
}
