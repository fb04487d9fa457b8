import { InventoryItem, InventoryPool } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../activity/activity';
import { recordActivity } from '../activity/activity';
import { raiseAlert } from '../alerts/alerts';
import { lowStockCondition } from '../alerts/rules';
import { ConflictError, NotFoundError } from '../errors';

export interface ReservedItem {
  id: string;
  poolId: string;
  email: string;
  secretEncrypted: string;
}

interface ItemRow {
  id: string;
  pool_id: string;
  email: string;
  secret_encrypted: string;
}

const toReserved = (row: ItemRow): ReservedItem => ({
  id: row.id,
  poolId: row.pool_id,
  email: row.email,
  secretEncrypted: row.secret_encrypted,
});

/**
 * Seed 000 steps 3.1–3.2: takes the oldest available item of the pool and reserves it for the
 * record. Concurrent callers never get the same item (`FOR UPDATE SKIP LOCKED`), and a record
 * that already holds one gets it back (so a retried step reserves nothing twice). Null when
 * the pool is empty.
 */
/** A product's config names a pool by slug: field errors when it does not exist (none when it does). */
export async function checkInventoryPoolExists(
  em: EntityManager,
  poolSlug: string,
  field = 'inventoryPool',
): Promise<Record<string, string[]>> {
  const found = await em.count(InventoryPool, { slug: poolSlug });
  return found > 0
    ? {}
    : {
        [field]: [
          `There is no inventory pool "${poolSlug}". Create it under Inventory pools first, or pick one that exists.`,
        ],
      };
}

export async function reserveInventory(
  em: EntityManager,
  { poolSlug, recordId, orderId, now }: { poolSlug: string; recordId: string; orderId: string; now: Date },
): Promise<ReservedItem | null> {
  const pool = await em.findOne(InventoryPool, { slug: poolSlug });
  if (!pool) throw new NotFoundError(`Inventory pool "${poolSlug}" does not exist`);

  return em.transactional(async (tem) => {
    const held = await findHeldInventory(tem, recordId);
    if (held) return held;

    const taken = await tem.execute<ItemRow[]>(
      `update inventory_items set status = 'reserved', record_id = ?, order_id = ?, reserved_date = ?, updated_at = ?
        where id = (
          select id from inventory_items
           where pool_id = ? and status = 'available'
           order by created_at, id
           for update skip locked
           limit 1)
        returning id, pool_id, email, secret_encrypted`,
      [recordId, orderId, now, now, pool.id],
    );
    await checkLowStock(tem, pool);
    return taken[0] ? toReserved(taken[0]) : null;
  });
}

/** The item reserved for (or assigned to) a record, if any: what a later step works with. */
export async function findHeldInventory(
  em: EntityManager,
  recordId: string,
  /** Also an item quarantined for the record (an undo that did not finish, tried again). */
  { quarantined = false }: { quarantined?: boolean } = {},
): Promise<ReservedItem | null> {
  const statuses = quarantined ? `'reserved', 'assigned', 'quarantined'` : `'reserved', 'assigned'`;
  const [held] = await em.execute<ItemRow[]>(
    `select id, pool_id, email, secret_encrypted from inventory_items
      where record_id = ? and status in (${statuses}) limit 1`,
    [recordId],
  );
  return held ? toReserved(held) : null;
}

/** Seed 000 step 3.5: reserved → assigned, with the customer, domain and date. */
export async function assignInventory(
  em: EntityManager,
  {
    recordId,
    customerEmail,
    domain,
    now,
  }: { recordId: string; customerEmail: string; domain: string | null; now: Date },
): Promise<void> {
  const changed = await em.execute(
    `update inventory_items set status = 'assigned', customer_email = ?, domain = ?, assigned_date = ?, updated_at = ?
      where record_id = ? and status in ('reserved', 'assigned')`,
    [customerEmail, domain, now, now, recordId],
    'run',
  );
  if (affectedRows(changed) === 0) throw new ConflictError(`No inventory is reserved for record ${recordId}`);
}

/**
 * Undoes step 3.5 when a later step fails for good: the item goes back to `reserved` for the
 * record, so that releasing the reservation returns it to the pool.
 */
export async function unassignInventory(em: EntityManager, recordId: string, now: Date): Promise<number> {
  const changed = await em.execute(
    `update inventory_items set status = 'reserved', customer_email = null, domain = null, assigned_date = null, updated_at = ?
      where record_id = ? and status = 'assigned'`,
    [now, recordId],
    'run',
  );
  return affectedRows(changed);
}

/**
 * Seed 000's rollback: a reservation goes back to `available`, and so does an item quarantined
 * for the record once the undo that held it back has succeeded. An assigned item is never
 * returned: the customer has it. Returns how many items were released.
 */
export async function releaseReservation(em: EntityManager, recordId: string, now: Date): Promise<number> {
  const released = await em.execute(
    `update inventory_items set status = 'available', record_id = null, order_id = null, reserved_date = null,
            customer_email = null, domain = null, assigned_date = null, quarantined_at = null, quarantine_reason = null,
            updated_at = ?
      where record_id = ? and status in ('reserved', 'quarantined')`,
    [now, recordId],
    'run',
  );
  return affectedRows(released);
}

/** An operator frees a reservation by hand (an item stuck on a record that will not continue). */
export async function releaseInventoryItem(em: EntityManager, itemId: string, actor: Actor, now: Date): Promise<void> {
  await em.transactional(async (tem) => {
    const item = await tem.findOne(InventoryItem, { id: itemId });
    if (!item) throw new NotFoundError('That inventory item does not exist');
    if (item.status !== 'reserved')
      throw new ConflictError(`Only reserved items can be released; this one is ${item.status}`);
    const recordId = item.record?.id ?? null;
    Object.assign(item, { status: 'available', record: null, order: null, reservedDate: null, updatedAt: now });
    recordActivity(tem, {
      action: 'inventory.released',
      subjectType: 'inventory_item',
      subjectId: item.id,
      actor,
      properties: { recordId },
    });
  });
}

/** An item that can no longer be used (seed 000's optional `depleted`). */
export async function markInventoryDepleted(em: EntityManager, itemId: string, actor: Actor): Promise<void> {
  await em.transactional(async (tem) => {
    const item = await tem.findOne(InventoryItem, { id: itemId });
    if (!item) throw new NotFoundError('That inventory item does not exist');
    if (item.status !== 'available')
      throw new ConflictError(`Only available items can be marked depleted; this one is ${item.status}`);
    item.status = 'depleted';
    recordActivity(tem, { action: 'inventory.depleted', subjectType: 'inventory_item', subjectId: item.id, actor });
  });
}

/** Seed 000 "Monitor alerts (low inventory)": one open alert per pool while stock is under its threshold. */
async function checkLowStock(em: EntityManager, pool: InventoryPool): Promise<void> {
  const [row] = await em.execute<{ available: number }[]>(
    `select count(*)::int as available from inventory_items where pool_id = ? and status = 'available'`,
    [pool.id],
  );
  const available = row?.available ?? 0;
  if (available >= pool.lowStockThreshold) return;
  const condition = lowStockCondition({ id: pool.id, name: pool.name, threshold: pool.lowStockThreshold, available });
  // The low_inventory rule resolves it once stock is back.
  await raiseAlert(em, { ...condition, dedupeKey: condition.key, rule: 'low_inventory' });
}

function affectedRows(result: unknown): number {
  return (result as { affectedRows?: number }).affectedRows ?? 0;
}
