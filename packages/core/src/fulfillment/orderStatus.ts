import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Locks the order row for the rest of the transaction. Every change to an order's records (and
 * its payments and refunds) takes this lock first, so two changes at once cannot both work from
 * a stale view of each other. The record writer takes it by record (`lockOrderOf`).
 */
export async function lockOrder(em: EntityManager, orderId: string): Promise<void> {
  await em.execute('select id from orders where id = ? for update', [orderId]);
}
