import type { LoginOutcome } from '@handover/contracts';
import { LoginAttempt } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';
import { RateLimitedError } from '../errors';
import type { LoginThrottleSettings } from './settings';

export type LoginVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Whether a sign-in may be tried now. It may not while its email or IP has too many recent
 * failures. Failures are counted by the email typed, whether or not an account has it, so a
 * lockout answers the same for every email and tells nothing about which exist.
 */
export async function checkLoginThrottle(
  em: EntityManager,
  attempt: { email: string; ip: string },
  settings: LoginThrottleSettings,
  clock: Clock,
): Promise<LoginVerdict> {
  const since = new Date(clock.now().getTime() - settings.windowMs);
  const [emailFailures, ipFailures] = await Promise.all([
    failuresSince(em, { email: attempt.email }, since, settings.maxFailuresPerEmail),
    failuresSince(em, { ip: attempt.ip }, since, settings.maxFailuresPerIp),
  ]);
  const locked = [
    lockedUntil(emailFailures, settings.maxFailuresPerEmail, settings.windowMs),
    lockedUntil(ipFailures, settings.maxFailuresPerIp, settings.windowMs),
  ].reduce<Date | null>((latest, until) => (until && (!latest || until > latest) ? until : latest), null);
  if (!locked) return { allowed: true };
  return { allowed: false, retryAfterMs: Math.max(0, locked.getTime() - clock.now().getTime()) };
}

/** The lockout message: the same whether or not the email has an account. */
export function lockedOutError(retryAfterMs: number): RateLimitedError {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return new RateLimitedError(
    `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or reset your password.`,
    retryAfterMs,
  );
}

export async function recordLoginAttempt(
  em: EntityManager,
  attempt: { email: string; ip: string },
  outcome: LoginOutcome,
  clock: Clock,
): Promise<void> {
  await em.insert(LoginAttempt, {
    email: attempt.email,
    ip: attempt.ip.slice(0, 64),
    outcome,
    createdAt: clock.now(),
  });
}

/**
 * Times of the newest `limit` failures in the window, newest first. An email's count starts over at its
 * last successful sign-in; an IP's does not, or one good account would reset it.
 */
async function failuresSince(
  em: EntityManager,
  by: { email: string } | { ip: string },
  since: Date,
  limit: number,
): Promise<Date[]> {
  const rows =
    'email' in by
      ? await em.execute<{ created_at: Date }[]>(
          `select created_at from login_attempts
            where email = ? and outcome = 'failed' and created_at > ?
              and id > coalesce(
                (select max(id) from login_attempts where email = ? and outcome = 'succeeded'), 0)
            order by created_at desc limit ?`,
          [by.email, since.toISOString(), by.email, limit],
        )
      : await em.execute<{ created_at: Date }[]>(
          `select created_at from login_attempts
            where ip = ? and outcome = 'failed' and created_at > ?
            order by created_at desc limit ?`,
          [by.ip, since.toISOString(), limit],
        );
  return rows.map((row) => new Date(row.created_at));
}

/** With `max` failures inside the window, locked until the oldest of those leaves it. */
function lockedUntil(failures: Date[], max: number, windowMs: number): Date | null {
  const oldestCounted = failures[max - 1];
  return oldestCounted ? new Date(oldestCounted.getTime() + windowMs) : null;
}
