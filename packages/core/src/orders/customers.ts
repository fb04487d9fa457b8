import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Seed 000: the payment creates the user when the email is new. Such a user has no password
 * and claims the account through the password reset flow. Safe under concurrent payments from
 * one new email (the unique email decides). Returns the user's id.
 */
export async function findOrCreateCustomer(em: EntityManager, email: string, phone: string | null): Promise<string> {
  const normalized = email.trim().toLowerCase();
  const created = await em.execute<{ id: string }[]>(
    `insert into users (id, email, phone, role) values (?, ?, ?, 'customer')
       on conflict (email) do nothing returning id`,
    [randomUUID(), normalized, phone],
  );
  if (created[0]) return created[0].id;
  const [existing] = await em.execute<{ id: string }[]>('select id from users where email = ?', [normalized]);
  if (!existing) throw new Error(`user ${normalized} vanished while its order was being created`);
  return existing.id;
}
