import { InventoryItem } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';
import { NotFoundError } from '../errors';
import type { SecretBox } from '../security/secrets';

/**
 * Decrypts an inventory account's password for an operator, and records who saw it. Only staff
 * procedures allowed to see secrets call this; nothing a customer reaches does.
 */
export async function revealInventorySecret(
  em: EntityManager,
  box: SecretBox,
  itemId: string,
  actorId: string,
): Promise<{ itemId: string; email: string; password: string }> {
  const item = await em.findOne(InventoryItem, itemId);
  if (!item) throw new NotFoundError('No inventory item with this id.');
  recordActivity(em, {
    action: 'inventory.secret_revealed',
    subjectType: 'inventory_item',
    subjectId: item.id,
    actor: { type: 'user', id: actorId },
  });
  await em.flush();
  return { itemId: item.id, email: item.email, password: box.decrypt(item.secretEncrypted) };
}
