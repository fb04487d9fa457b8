import { type SignUpInput, signUpInput } from '@handover/contracts';
import { User } from '@handover/db';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';
import { ConflictError } from '../errors';
import { queueMessage } from '../notifications/outbox';
import { hashPassword } from '../security/passwords';
import { welcomeEmail } from './emails';
import { recordLoginAttempt } from './loginThrottle';
import { openSession, type SignedInSession } from './sessions';
import type { AccountContext } from './signIn';

/**
 * Said when the email has an account, including one a guest checkout made before it had a
 * password: only the reset email, which proves the mailbox is theirs, lets someone claim it.
 */
export const EMAIL_TAKEN = 'An account with this email already exists. Sign in, or reset your password.';

/** Creates a customer account, signs it in, and queues the welcome email, in one transaction. */
export async function signUp(em: EntityManager, input: SignUpInput, ctx: AccountContext): Promise<SignedInSession> {
  const data = signUpInput.parse(input);
  const passwordHash = await hashPassword(data.password, ctx.settings.passwordHashCost);
  try {
    return await em.transactional(async (tem) => {
      if (await tem.count(User, { email: data.email })) throw new ConflictError(EMAIL_TAKEN);
      const user = tem.create(User, {
        email: data.email,
        passwordHash,
        name: data.name ?? null,
        phone: data.phone ?? null,
        company: data.company ?? null,
        customerNumber: data.customerNumber ?? null,
        address: data.address ?? null,
        dateOfBirth: data.dateOfBirth ?? null,
        role: 'customer',
        lastLoginAt: ctx.clock.now(),
      });
      const session = openSession(tem, user, ctx.origin, ctx.settings.sessionTtlMs, ctx.clock);
      recordActivity(tem, {
        action: 'user.signed_up',
        subjectType: 'user',
        subjectId: user.id,
        actor: { type: 'user', id: user.id },
      });
      await queueMessage(tem, welcomeEmail(user, ctx.settings));
      await tem.flush();
      await recordLoginAttempt(tem, { email: data.email, ip: ctx.origin.ip }, 'succeeded', ctx.clock);
      return session;
    });
  } catch (error) {
    // Two sign-ups for one email at once: the unique index decides.
    if (error instanceof UniqueConstraintViolationException) throw new ConflictError(EMAIL_TAKEN);
    throw error;
  }
}
