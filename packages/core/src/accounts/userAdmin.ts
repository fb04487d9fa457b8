import { changeRoleInput, type UserRole } from '@handover/contracts';
import { User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';
import type { Clock } from '../clock';
import { ForbiddenError, NotFoundError } from '../errors';
import { revokeUserSessions } from './sessions';

/** A user as the back office lists them: never a password hash. */
export interface UserSummary {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  role: UserRole;
  lastLoginAt: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
}

export interface UserListQuery {
  search?: string;
  role?: UserRole;
  limit: number;
  offset: number;
}

export async function listUsers(
  em: EntityManager,
  query: UserListQuery,
): Promise<{ users: UserSummary[]; total: number }> {
  const pattern = query.search ? `%${query.search.replace(/[\\%_]/g, '\\$&')}%` : null;
  const [users, total] = await em.findAndCount(
    User,
    {
      ...(query.role ? { role: query.role } : {}),
      ...(pattern ? { $or: [{ email: { $ilike: pattern } }, { name: { $ilike: pattern } }] } : {}),
    },
    { orderBy: { createdAt: 'desc', id: 'asc' }, limit: query.limit, offset: query.offset },
  );
  return { users: users.map(toUserSummary), total };
}

export async function getUser(em: EntityManager, userId: string): Promise<UserSummary> {
  const user = await em.findOne(User, userId);
  if (!user) throw new NotFoundError('No user with this id.');
  return toUserSummary(user);
}

/**
 * An admin gives a user another role. Admins cannot change their own, so the last admin
 * cannot lock everyone out of user management by mistake.
 */
export async function changeUserRole(
  em: EntityManager,
  actorId: string,
  input: { userId: string; role: UserRole },
): Promise<UserSummary> {
  const { userId, role } = changeRoleInput.parse(input);
  if (userId === actorId) throw new ForbiddenError('You cannot change your own role; ask another admin.');
  const user = await em.findOne(User, userId);
  if (!user) throw new NotFoundError('No user with this id.');
  if (user.role !== role) {
    recordActivity(em, {
      action: 'user.role_changed',
      subjectType: 'user',
      subjectId: user.id,
      actor: { type: 'user', id: actorId },
      properties: { from: user.role, to: role },
    });
    user.role = role;
    await em.flush();
  }
  return toUserSummary(user);
}

/**
 * An admin disables a staff member (who can no longer sign in, and whose sessions end at once) or
 * enables them again. Not their own account, for the same reason as the role.
 */
export async function setUserDisabled(
  em: EntityManager,
  actorId: string,
  input: { userId: string; disabled: boolean },
  clock: Clock,
): Promise<UserSummary> {
  if (input.userId === actorId) throw new ForbiddenError('You cannot disable your own account; ask another admin.');
  return em.transactional(async (tem) => {
    const user = await tem.findOne(User, input.userId);
    if (!user) throw new NotFoundError('No user with this id.');
    if (Boolean(user.disabledAt) !== input.disabled) {
      user.disabledAt = input.disabled ? clock.now() : null;
      if (input.disabled) await revokeUserSessions(tem, user.id, clock);
      recordActivity(tem, {
        action: input.disabled ? 'user.disabled' : 'user.enabled',
        subjectType: 'user',
        subjectId: user.id,
        actor: { type: 'user', id: actorId },
      });
      await tem.flush();
    }
    return toUserSummary(user);
  });
}

function toUserSummary(user: User): UserSummary {
  return {
    id: user.id,
    email: user.email,
    name: user.name ?? null,
    phone: user.phone ?? null,
    role: user.role,
    lastLoginAt: user.lastLoginAt ?? null,
    disabledAt: user.disabledAt ?? null,
    createdAt: user.createdAt,
  };
}
