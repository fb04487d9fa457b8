import {
  type ChangePasswordInput,
  type CustomerProfile,
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

/**
 * Changes the signed-in user's profile (name, phone and seed 004's company, customer number,
 * address and date of birth); a field left out stays as it is, null clears it. Orders keep the
 * address they were placed with.
 */
export async function updateProfile(
  em: EntityManager,
  userId: string,
  input: UpdateProfileInput,
): Promise<SessionUser> {
  const changes = updateProfileInput.parse(input);
  const user = await em.findOneOrFail(User, userId);
  for (const field of ['name', 'phone', 'company', 'customerNumber', 'address', 'dateOfBirth'] as const) {
    const value = changes[field];
    if (value !== undefined) Object.assign(user, { [field]: value });
  }
  if (Object.keys(changes).some((field) => field !== 'name' && field !== 'phone')) {
    recordActivity(em, {
      action: 'user.profile_updated',
      subjectType: 'user',
      subjectId: user.id,
      actor: { type: 'user', id: user.id },
      properties: { fields: Object.keys(changes) },
    });
  }
  await em.flush();
  return toSessionUser(user);
}

/** The signed-in customer's profile, as the account page edits it. */
export async function getProfile(em: EntityManager, userId: string): Promise<CustomerProfile> {
  const user = await em.findOneOrFail(User, userId);
  return {
    email: user.email,
    name: user.name ?? null,
    phone: user.phone ?? null,
    company: user.company ?? null,
    customerNumber: user.customerNumber ?? null,
    address: user.address ?? null,
    dateOfBirth: user.dateOfBirth ?? null,
  };
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
