import { type VerifyEmailInput, verifyEmailInput } from '@handover/contracts';
import { EmailVerificationToken, User } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';
import { ValidationError } from '../errors';
import { addJob, jobSpec } from '../jobs/addJob';
import { queueMessage } from '../notifications/outbox';
import { isLinkTokenGenuine, signLinkToken } from '../security/linkTokens';
import { hashPassword } from '../security/passwords';
import { enforceThrottle, THROTTLES } from '../security/throttle';
import { verifyEmailMessage, welcomeEmail } from './emails';
import { recordLoginAttempt } from './loginThrottle';
import { openSession, revokeUserSessions, type SignedInSession } from './sessions';
import type { AccountContext } from './signIn';
import { hashToken } from './tokens';

export const VERIFY_LINK_INVALID =
  'This link is invalid, has expired or was already used. Sign up again with your email for a new one.';

/** Writes a verification link for `user` and queues the email carrying it. Flushed with `em`. */
export async function sendVerificationLink(em: EntityManager, user: User, ctx: AccountContext): Promise<void> {
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ctx.settings.verifyTokenTtlMs);
  const token = signLinkToken(ctx.settings.linkKeys, 'verify_email', expiresAt);
  em.create(EmailVerificationToken, {
    user,
    tokenHash: hashToken(token),
    expiresAt,
    requestedIp: ctx.origin.ip.slice(0, 64),
    createdAt: now,
  });
  await queueMessage(em, verifyEmailMessage(user, token, ctx.settings));
  await em.flush();
}

/**
 * The sign-up link: proves the address, sets the password (and the profile fields, if given),
 * signs the account in everywhere else out, and on the first confirmation sends the welcome email
 * and queues the making of the customer's billing client. The password is chosen here, by
 * whoever holds the link, so a stranger who signed up with someone else's address first has no
 * password on the account. A made-up or expired token is refused before any lookup, a spent one
 * before any hashing.
 */
export async function verifyEmail(
  em: EntityManager,
  input: VerifyEmailInput,
  ctx: AccountContext,
): Promise<SignedInSession> {
  const data = verifyEmailInput.parse(input);
  const now = ctx.clock.now();
  const invalid = () => new ValidationError(VERIFY_LINK_INVALID, { token: [VERIFY_LINK_INVALID] });
  if (!isLinkTokenGenuine(ctx.settings.linkKeys, 'verify_email', data.token, now)) throw invalid();
  // Only a link we signed gets this far, so a made-up one costs no database round trip at all;
  // genuine ones (each of which hashes a password) are what is throttled per IP.
  await enforceThrottle(em, THROTTLES.linkUsePerIp, ctx.origin.ip, ctx.clock);
  const tokenHash = hashToken(data.token);
  const usable = async (tem: EntityManager, lock: boolean) => {
    const link = await tem.findOne(
      EmailVerificationToken,
      { tokenHash },
      lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
    );
    const user = link ? await tem.findOne(User, link.user.id) : null;
    return link && user && !link.usedAt && link.expiresAt > now && !user.disabledAt ? { link, user } : null;
  };
  if (!(await usable(em, false))) throw invalid();
  const passwordHash = await hashPassword(data.password, ctx.settings.passwordHashCost);
  return em.transactional(async (tem) => {
    const found = await usable(tem, true);
    if (!found) throw invalid();
    const { link, user } = found;
    const firstConfirmation = !user.emailVerifiedAt;
    link.usedAt = now;
    await tem.nativeUpdate(
      EmailVerificationToken,
      { user: user.id, usedAt: null, id: { $ne: link.id } },
      { usedAt: now },
    );
    user.passwordHash = passwordHash;
    user.emailVerifiedAt ??= now;
    for (const field of ['name', 'phone', 'company', 'customerNumber', 'address', 'dateOfBirth'] as const) {
      const value = data[field];
      if (value) Object.assign(user, { [field]: value });
    }
    user.lastLoginAt = now;
    // A session opened before the address was proved (an older account) ends here.
    await revokeUserSessions(tem, user.id, ctx.clock);
    const session = openSession(tem, user, ctx.origin, ctx.settings.sessionTtlMs, ctx.clock);
    recordActivity(tem, {
      action: firstConfirmation ? 'user.signed_up' : 'user.email_reconfirmed',
      subjectType: 'user',
      subjectId: user.id,
      actor: { type: 'user', id: user.id },
    });
    if (firstConfirmation) {
      await queueMessage(tem, welcomeEmail(user, ctx.settings));
      await queueBillingClient(tem, user);
    }
    await tem.flush();
    await recordLoginAttempt(tem, { email: user.email, ip: ctx.origin.ip }, 'succeeded', ctx.clock);
    return session;
  });
}

/**
 * Seed 004 signup: a customer whose address was just confirmed (the sign-up link, or a reset link
 * confirming a guest's account) gets their billing client made by the worker, so confirming never
 * waits for the billing system nor fails when it is down. It is still made at the first billed
 * need, for accounts confirmed before this or while no billing system was configured.
 */
export async function queueBillingClient(em: EntityManager, user: User): Promise<void> {
  if (user.role === 'customer') await addJob(em, jobSpec('open_billing_account', { userId: user.id }));
}
