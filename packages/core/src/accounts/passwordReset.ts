import { type ResetPasswordInput, requestPasswordResetInput, resetPasswordInput } from '@handover/contracts';
import { EmailVerificationToken, PasswordResetToken, User } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';
import { ValidationError } from '../errors';
import { queueMessage } from '../notifications/outbox';
import { isLinkTokenGenuine, signLinkToken } from '../security/linkTokens';
import { hashPassword } from '../security/passwords';
import { enforceThrottle, THROTTLES } from '../security/throttle';
import { passwordResetEmail } from './emails';
import { recordLoginAttempt } from './loginThrottle';
import { revokeUserSessions } from './sessions';
import type { AccountContext } from './signIn';
import { hashToken } from './tokens';
import { queueBillingClient } from './verification';

/** Links sent to one account per hour; more requests are answered the same and send nothing. */
const MAX_RESETS_PER_HOUR = 3;

export const RESET_LINK_INVALID = 'This reset link is invalid, has expired or was already used. Ask for a new one.';

/**
 * Emails a single-use reset link when the address has an account. The caller answers the same
 * either way, so the form tells nothing about which emails exist. Throttled per IP (a 429) and
 * per account (past three links an hour nothing more is sent).
 */
export async function requestPasswordReset(
  em: EntityManager,
  input: { email: string },
  ctx: AccountContext,
): Promise<void> {
  const { email } = requestPasswordResetInput.parse(input);
  await enforceThrottle(em, THROTTLES.resetRequestPerIp, ctx.origin.ip, ctx.clock);
  const now = ctx.clock.now();
  await em.transactional(async (tem) => {
    const user = await tem.findOne(User, { email, disabledAt: null });
    if (!user) return;
    const recent = await tem.count(PasswordResetToken, {
      user,
      createdAt: { $gt: new Date(now.getTime() - 60 * 60_000) },
    });
    if (recent >= MAX_RESETS_PER_HOUR) return;
    const expiresAt = new Date(now.getTime() + ctx.settings.resetTokenTtlMs);
    const token = signLinkToken(ctx.settings.linkKeys, 'password_reset', expiresAt);
    tem.create(PasswordResetToken, {
      user,
      tokenHash: hashToken(token),
      expiresAt,
      requestedIp: ctx.origin.ip,
      createdAt: now,
    });
    await queueMessage(tem, passwordResetEmail(user, token, ctx.settings));
    await tem.flush();
  });
}

/**
 * Sets a new password from a reset link. The link is spent, every other link of the account
 * (reset or verification) dies with it, and every session is signed out. Using the link proves
 * the address, so an unconfirmed account (a guest checkout's, a sign-up's) is confirmed by it.
 * A made-up or expired token is refused before any lookup, a spent one before any hashing.
 */
export async function resetPassword(em: EntityManager, input: ResetPasswordInput, ctx: AccountContext): Promise<void> {
  const { token, password } = resetPasswordInput.parse(input);
  const now = ctx.clock.now();
  const invalid = () => new ValidationError(RESET_LINK_INVALID, { token: [RESET_LINK_INVALID] });
  if (!isLinkTokenGenuine(ctx.settings.linkKeys, 'password_reset', token, now)) throw invalid();
  // Only a link we signed gets this far, so a made-up one costs no database round trip at all;
  // genuine ones (each of which hashes a password) are what is throttled per IP.
  await enforceThrottle(em, THROTTLES.linkUsePerIp, ctx.origin.ip, ctx.clock);
  const tokenHash = hashToken(token);
  const usable = async (tem: EntityManager, lock: boolean) => {
    const link = await tem.findOne(
      PasswordResetToken,
      { tokenHash },
      lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
    );
    const user = link ? await tem.findOne(User, link.user.id) : null;
    return link && user && !link.usedAt && link.expiresAt > now && !user.disabledAt ? { link, user } : null;
  };
  if (!(await usable(em, false))) throw invalid();
  const passwordHash = await hashPassword(password, ctx.settings.passwordHashCost);
  await em.transactional(async (tem) => {
    const found = await usable(tem, true);
    if (!found) throw invalid();
    const { link, user } = found;
    link.usedAt = now;
    await tem.nativeUpdate(PasswordResetToken, { user: user.id, usedAt: null, id: { $ne: link.id } }, { usedAt: now });
    await tem.nativeUpdate(EmailVerificationToken, { user: user.id, usedAt: null }, { usedAt: now });
    user.passwordHash = passwordHash;
    const firstConfirmation = !user.emailVerifiedAt;
    user.emailVerifiedAt ??= now;
    if (firstConfirmation) await queueBillingClient(tem, user);
    await revokeUserSessions(tem, user.id, ctx.clock);
    recordActivity(tem, {
      action: 'user.password_reset',
      subjectType: 'user',
      subjectId: user.id,
      actor: { type: 'user', id: user.id },
    });
    await tem.flush();
    // Proving the mailbox ends a lockout: the lockout message points here.
    await recordLoginAttempt(tem, { email: user.email, ip: ctx.origin.ip }, 'succeeded', ctx.clock);
  });
}
