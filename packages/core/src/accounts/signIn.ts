import { type SignInInput, signInInput } from '@handover/contracts';
import { User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';
import { AuthenticationError } from '../errors';
import { hashPassword, type PasswordHashCost, verifyPassword } from '../security/passwords';
import { hitThrottle, THROTTLES } from '../security/throttle';
import { checkLoginThrottle, lockedOutError, recordLoginAttempt } from './loginThrottle';
import { openSession, type RequestOrigin, type SignedInSession } from './sessions';
import type { AccountSettings } from './settings';
import { sendVerificationLink } from './verification';

/**
 * The one answer to a wrong email, a wrong password, a disabled account and an address not yet
 * confirmed, so that signing in after a sign-up tells no one whether the address was new.
 */
export const SIGN_IN_REFUSED =
  'Email or password is incorrect, or the email is not confirmed yet: open the link we sent to it.';

export interface AccountContext {
  settings: AccountSettings;
  clock: Clock;
  origin: RequestOrigin;
}

/**
 * Checks the password and opens a session. Attempts on one email run one at a time, so a burst
 * of guesses cannot slip past the throttle together.
 */
export async function signIn(em: EntityManager, input: SignInInput, ctx: AccountContext): Promise<SignedInSession> {
  const { email, password } = signInInput.parse(input);
  const attempt = { email, ip: ctx.origin.ip };
  const outcome = await em.transactional(async (tem) => {
    await tem.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`sign-in:${email}`]);
    const verdict = await checkLoginThrottle(tem, attempt, ctx.settings.loginThrottle, ctx.clock);
    if (!verdict.allowed) {
      await recordLoginAttempt(tem, attempt, 'locked', ctx.clock);
      return verdict;
    }
    const user = await tem.findOne(User, { email });
    const passwordOk = await checkPassword(password, user?.passwordHash ?? null, ctx.settings.passwordHashCost);
    if (!user || !passwordOk || user.disabledAt || !user.emailVerifiedAt) {
      await recordLoginAttempt(tem, attempt, 'failed', ctx.clock);
      // An account from before addresses were confirmed: its owner gets a link, and chooses the password there.
      return user && passwordOk && !user.disabledAt ? ('unconfirmed' as const) : null;
    }
    await recordLoginAttempt(tem, attempt, 'succeeded', ctx.clock);
    user.lastLoginAt = ctx.clock.now();
    const session = openSession(tem, user, ctx.origin, ctx.settings.sessionTtlMs, ctx.clock);
    await tem.flush();
    return session;
  });
  if (outcome === 'unconfirmed') await resendConfirmation(em, email, ctx);
  if (!outcome || outcome === 'unconfirmed') throw new AuthenticationError(SIGN_IN_REFUSED);
  if ('allowed' in outcome) throw lockedOutError(outcome.retryAfterMs);
  return outcome;
}

/** Throttled as sign-ups are, per address: a stranger cannot use sign-in to flood a mailbox either. */
async function resendConfirmation(em: EntityManager, email: string, ctx: AccountContext): Promise<void> {
  if (!(await hitThrottle(em, THROTTLES.signUpPerAddress, email, ctx.clock)).allowed) return;
  await em.transactional(async (tem) => {
    const user = await tem.findOneOrFail(User, { email });
    await sendVerificationLink(tem, user, ctx);
  });
}

const dummyHashes = new Map<number, Promise<string>>();

/**
 * Verifies against the stored hash, or against a throwaway one when there is none, so that an
 * unknown email takes as long to refuse as a wrong password.
 */
async function checkPassword(password: string, stored: string | null, cost: PasswordHashCost): Promise<boolean> {
  if (stored) return verifyPassword(password, stored, 'sign_in');
  let dummy = dummyHashes.get(cost.N);
  if (!dummy) {
    dummy = hashPassword('not a password anyone has', cost);
    dummyHashes.set(cost.N, dummy);
  }
  await verifyPassword(password, await dummy, 'sign_in');
  return false;
}
