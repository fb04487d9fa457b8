import { INVENTORY_STATUSES, type InventoryStatus } from '@handover/contracts';
import { InventoryPool } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, recordActivity } from '../activity/activity';
import { NotFoundError } from '../errors';
import { Conditions, containing } from './sql';

export interface InventoryPoolSummary {
  id: string;
  slug: string;
  name: string;
  lowStockThreshold: number;
  counts: Record<InventoryStatus, number>;
  /** Fewer available items than the threshold. */
  lowStock: boolean;
  createdAt: Date;
}

/** Every pool with how many of its items are in each status (seed 000's inventory lifecycle). */
export async function listInventoryPools(em: EntityManager): Promise<InventoryPoolSummary[]> {
  const [pools, counts] = await Promise.all([
    em.find(InventoryPool, {}, { orderBy: { name: 'asc' } }),
    em.execute<{ pool_id: string; status: InventoryStatus; n: number }[]>(
      'select pool_id, status, count(*)::int as n from inventory_items group by pool_id, status',
    ),
  ]);
  return pools.map((pool) => {
    const byStatus = Object.fromEntries(INVENTORY_STATUSES.map((s) => [s, 0])) as Record<InventoryStatus, number>;
    for (const row of counts) if (row.pool_id === pool.id) byStatus[row.status] = row.n;
    return {
      id: pool.id,
      slug: pool.slug,
      name: pool.name,
      lowStockThreshold: pool.lowStockThreshold,
      counts: byStatus,
      lowStock: byStatus.available < pool.lowStockThreshold,
      createdAt: pool.createdAt,
    };
  });
}

export async function getInventoryPool(em: EntityManager, poolId: string): Promise<InventoryPoolSummary> {
  const pool = (await listInventoryPools(em)).find((p) => p.id === poolId);
  if (!pool) throw new NotFoundError('No inventory pool with this id.');
  return pool;
}

/** Changes the number under which a pool raises its low-stock alert. */
export async function setLowStockThreshold(
  em: EntityManager,
  poolId: string,
  threshold: number,
  actor: Actor,
): Promise<InventoryPoolSummary> {
  await em.transactional(async (tem) => {
    const pool = await tem.findOne(InventoryPool, { id: poolId });
    if (!pool) throw new NotFoundError('No inventory pool with this id.');
    recordActivity(tem, {
      action: 'inventory.threshold_changed',
      subjectType: 'inventory_pool',
      subjectId: pool.id,
      actor,
      properties: { from: pool.lowStockThreshold, to: threshold },
    });
    pool.lowStockThreshold = threshold;
  });
  return getInventoryPool(em, poolId);
}

export interface InventoryItemFilter {
  poolId?: string;
  status?: InventoryStatus;
  /** Part of the account email, the customer email or the domain. */
  q?: string;
}

/** An inventory account as lists show it: the password never leaves the database here. */
export interface InventoryItemRow {
  id: string;
  poolId: string;
  poolName: string;
  email: string;
  status: InventoryStatus;
  notes: string | null;
  orderId: string | null;
  recordId: string | null;
  customerEmail: string | null;
  domain: string | null;
  reservedDate: Date | null;
  assignedDate: Date | null;
  createdAt: Date;
}

interface ItemRow {
  id: string;
  pool_id: string;
  pool_name: string;
  email: string;
  status: InventoryStatus;
  notes: string | null;
  order_id: string | null;
  record_id: string | null;
  customer_email: string | null;
  domain: string | null;
  reserved_date: Date | null;
  assigned_date: Date | null;
  created_at: Date;
  total: string;
}

/** The items list's filter as SQL over `inventory_items i` (shared by the list and its export). */
export function inventoryItemConditions(filter: InventoryItemFilter): Conditions {
  const where = new Conditions().when(filter.poolId, 'i.pool_id = ?').when(filter.status, 'i.status = ?');
  const q = filter.q?.trim();
  if (q) {
    const like = containing(q);
    where.add('(i.email ilike ? or i.customer_email ilike ? or i.domain ilike ?)', like, like, like);
  }
  return where;
}

/** Items in FIFO order (the order reservation takes them), secrets left out. */
export async function listInventoryItems(
  em: EntityManager,
  filter: InventoryItemFilter,
  page: { limit: number; offset: number },
): Promise<{ items: InventoryItemRow[]; total: number }> {
  const where = inventoryItemConditions(filter);
  const rows = await em.execute<ItemRow[]>(
    `select i.id, i.pool_id, p.name as pool_name, i.email, i.status, i.notes, i.order_id, i.record_id,
            i.customer_email, i.domain, i.reserved_date, i.assigned_date, i.created_at, count(*) over () as total
       from inventory_items i join inventory_pools p on p.id = i.pool_id
       ${where.sql}
      order by i.created_at asc, i.id asc
      limit ? offset ?`,
    [...where.params, page.limit, page.offset],
  );
  const date = (d: Date | null) => (d ? new Date(d) : null);
  return {
    total: Number(rows[0]?.total ?? 0),
    items: rows.map((row) => ({
      id: row.id,
      poolId: row.pool_id,
      poolName: row.pool_name,
      email: row.email,
      status: row.status,
      notes: row.notes,
      orderId: row.order_id,
      recordId: row.record_id,
      customerEmail: row.customer_email,
      domain: row.domain,
      reservedDate: date(row.reserved_date),
      assignedDate: date(row.assigned_date),
      createdAt: new Date(row.created_at),
    })),
  };
}
