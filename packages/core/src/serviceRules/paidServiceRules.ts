import type { PendingOrderLine } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findExistingServices } from './existingServices';

/**
 * Seed 004's one-per-account rule again when the money arrives, as the paid-order listener checks
 * every line again: checkout refused a second home Internet service, but two checkouts started
 * before either was paid both passed. A transaction lock per customer and kind makes the second
 * payment wait for the first and then see its order. What it answers (null: nothing refused) is
 * the refusal, in the customer's words, the order is kept cancelled with and its payment refunded.
 */
export async function serviceRuleRefusal(
  em: EntityManager,
  userId: string,
  lines: readonly PendingOrderLine[],
): Promise<string | null> {
  const single = new Map<string, string>();
  for (const line of lines) {
    if (line.service?.onePerAccount && line.service.kind) single.set(line.service.kind, line.productName);
  }
  if (single.size === 0) return null;
  const kinds = [...single.keys()].sort();
  for (const kind of kinds) {
    await em.execute('select pg_advisory_xact_lock(hashtext(?)) as locked', [`service:${userId}:${kind}`]);
  }
  const [existing] = await findExistingServices(em, userId, kinds);
  if (!existing) return null;
  return `You already have ${single.get(existing.serviceKind) ?? 'this service'} (order ${existing.orderCode}): one per account. Manage or upgrade it instead.`;
}
