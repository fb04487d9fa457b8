import {
  type ChangePasswordInput,
  changePasswordInput,
  type UpdateProfileInput,
  updateProfileInput,
} from '@handover/contracts';
import { User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';
import { ValidationError } from '../errors';
import { hashPassword, verifyPassword } from '../security/passwords';
import { revokeUserSessions, type SessionUser, toSessionUser } from './sessions';
import type { AccountContext } from './signIn';

/** Changes the signed-in user's name and phone; a field left out stays as it is, null clears it. */
export async function updateProfile(
  em: EntityManager,
  userId: string,
  input: UpdateProfileInput,
): Promise<SessionUser> {
  const changes = updateProfileInput.parse(input);
  const user = await em.findOneOrFail(User, userId);
  if (changes.name !== undefined) user.name = changes.name;
  if (changes.phone !== undefined) user.phone = changes.phone;
  await em.flush();
  return toSessionUser(user);
}

/** Needs the current password; signs out every other session of the user. */
export async function changePassword(
  em: EntityManager,
  signedIn: { userId: string; sessionId: string },
  input: ChangePasswordInput,
  ctx: Omit<AccountContext, 'origin'>,
): Promise<void> {
  const { currentPassword, newPassword } = changePasswordInput.parse(input);
  const user = await em.findOneOrFail(User, signedIn.userId);
  if (!user.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new ValidationError('The current password is not right.', {
      currentPassword: ['The current password is not right.'],
    });
  }
  const passwordHash = await hashPassword(newPassword, ctx.settings.passwordHashCost);
  await em.transactional(async (tem) => {
    await tem.nativeUpdate(User, { id: user.id }, { passwordHash });
    await revokeUserSessions(tem, user.id, ctx.clock, signedIn.sessionId);
    recordActivity(tem, {
      action: 'user.password_changed',
      subjectType: 'user',
      subjectId: user.id,
      actor: { type: 'user', id: user.id },
    });
    await tem.flush();
  });
}
