import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { preparedQuery } from '../database/preparedQuery';

/**
 * Seed 000: the payment creates the user when the email is new. Such a user has no password
 * and no confirmed address; its owner claims it from a link sent to the address (sign-up's or
 * a password reset's), and until then it cannot sign in. Safe under concurrent payments from
 * one new email (the unique email decides). Returns the user's id.
 */
export async function findOrCreateCustomer(em: EntityManager, email: string, phone: string | null): Promise<string> {
  const normalized = email.trim().toLowerCase();
  const [found] = await preparedQuery<{ id: string }>(
    em,
    `with created as (
       insert into users (id, email, phone, role) values (?, ?, ?, 'customer')
         on conflict (email) do nothing returning id)
     select id from created union all select id from users where email = ? limit 1`,
    [randomUUID(), normalized, phone, normalized],
  );
  if (found) return found.id;
  // Made by a transaction that committed after this statement began: read it now.
  const [existing] = await em.execute<{ id: string }[]>('select id from users where email = ?', [normalized]);
  if (!existing) throw new Error(`user ${normalized} vanished while its order was being created`);
  return existing.id;
}
