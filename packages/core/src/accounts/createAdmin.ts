import { emailSchema, passwordSchema } from '@handover/contracts';
import { User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity, SYSTEM } from '../activity/activity';
import type { Clock } from '../clock';
import { hashPassword, type PasswordHashCost } from '../security/passwords';
import { revokeUserSessions } from './sessions';

export interface CreateAdminInput {
  email: string;
  name?: string;
  password: string;
}

/**
 * `pnpm admin:create`: makes `email` an admin with this password, creating the user when there
 * is none. An existing user's other sessions end, since their password changed.
 */
export async function createOrPromoteAdmin(
  em: EntityManager,
  input: CreateAdminInput,
  cost: PasswordHashCost,
  clock: Clock,
): Promise<{ userId: string; created: boolean }> {
  const email = emailSchema.parse(input.email);
  const password = passwordSchema.parse(input.password);
  const passwordHash = await hashPassword(password, cost);
  return em.transactional(async (tem) => {
    const existing = await tem.findOne(User, { email });
    const user =
      existing ??
      tem.create(User, {
        email,
        passwordHash,
        name: input.name ?? null,
        role: 'admin',
        phone: null,
        // Whoever runs the command vouches for the address.
        emailVerifiedAt: clock.now(),
      });
    const created = !existing;
    if (existing) {
      existing.role = 'admin';
      existing.passwordHash = passwordHash;
      existing.disabledAt = null;
      existing.emailVerifiedAt ??= clock.now();
      if (input.name) existing.name = input.name;
      await revokeUserSessions(tem, existing.id, clock);
    }
    recordActivity(tem, {
      action: created ? 'user.admin_created' : 'user.promoted_to_admin',
      subjectType: 'user',
      subjectId: user.id,
      actor: SYSTEM,
      description: 'by the admin:create command',
    });
    await tem.flush();
    return { userId: user.id, created };
  });
}
