import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Abandoned checkouts (seed 000's pending_orders): `pending_payment` rows past their expiry
 * become `expired`, oldest first, `limit` at a time. A payment that still arrives for one is
 * taken and its order created (see the webhook processing): money taken is never refused.
 */
export async function expirePendingOrders(em: EntityManager, now: Date, limit = 1000): Promise<number> {
  const expired = await em.execute<{ id: string }[]>(
    `update pending_orders set status = 'expired', updated_at = ?
      where id in (
        select id from pending_orders
         where status = 'pending_payment' and expires_at < ?
         order by expires_at
         limit ?
         for update skip locked)
      returning id`,
    [now, now, limit],
  );
  return expired.length;
}
