import { type SignUpInput, signUpInput } from '@handover/contracts';
import { User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { queueMessage } from '../notifications/outbox';
import { enforceThrottle, hitThrottle, THROTTLES } from '../security/throttle';
import { findOrCreateCustomer } from './customers';
import { accountExistsEmail } from './emails';
import type { AccountContext } from './signIn';
import { sendVerificationLink } from './verification';

/** The one answer to a sign-up, whether or not the address has an account. */
export const SIGN_UP_SENT = 'Check your inbox: we sent a link to that address to confirm it and choose your password.';

/**
 * Sign-up (and "send the link again"): emails the address a link that finishes the account, or,
 * when the address already has a confirmed account, an email saying so. Answers the same either
 * way and signs no one in: only the owner of the address, from the link, gets a password and a
 * session. Throttled per IP (a 429) and per address (past the limit nothing more is sent, and
 * the answer does not change). No password is hashed here.
 */
export async function signUp(em: EntityManager, input: SignUpInput, ctx: AccountContext): Promise<void> {
  const { email } = signUpInput.parse(input);
  await enforceThrottle(em, THROTTLES.signUpPerIp, ctx.origin.ip, ctx.clock);
  const perAddress = await hitThrottle(em, THROTTLES.signUpPerAddress, email, ctx.clock);
  if (!perAddress.allowed) return;
  await em.transactional(async (tem) => {
    const user = await findOrCreateUnconfirmed(tem, email);
    if (user.disabledAt) return;
    if (user.emailVerifiedAt) {
      await queueMessage(tem, accountExistsEmail(user, ctx.settings));
      return;
    }
    await sendVerificationLink(tem, user, ctx);
  });
}

/**
 * The account of `email`, made when there is none: no password, no name, not confirmed, as a
 * guest checkout makes one. It cannot sign in until its link is used.
 */
async function findOrCreateUnconfirmed(em: EntityManager, email: string): Promise<User> {
  return em.findOneOrFail(User, await findOrCreateCustomer(em, email, null));
}
