import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';

/**
 * Claims a signed request's nonce. False when it was seen before: the request is a replay.
 * Kept until `expiresAt` (past which its timestamp would be refused anyway); expired ones are dropped here.
 */
export async function claimNonce(em: EntityManager, nonce: string, expiresAt: Date, clock: Clock): Promise<boolean> {
  await em.execute('delete from operator_nonces where expires_at < ?', [clock.now().toISOString()]);
  const inserted = await em.execute<{ nonce: string }[]>(
    `insert into operator_nonces (nonce, expires_at, created_at) values (?, ?, ?)
     on conflict (nonce) do nothing returning nonce`,
    [nonce, expiresAt.toISOString(), clock.now().toISOString()],
  );
  return inserted.length === 1;
}
