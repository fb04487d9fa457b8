import { FULFILLMENT_STATUSES, type FulfillmentStatus } from '@handover/contracts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { listInventoryPools } from './inventory';

export interface Dashboard {
  /**
   * Records in each status that has any: counted exactly up to `exactUpTo`; above that, the
   * planner's estimate (`approximate`), so the page costs the same at a million records.
   */
  recordsByStatus: { status: FulfillmentStatus; count: number; approximate: boolean }[];
  /** Records that failed and alerts raised, hour by hour over the last 24 hours (oldest first). */
  last24h: { hour: Date; failures: number; alerts: number }[];
  failures24h: number;
  alerts24h: number;
  openAlerts: number;
  /** graphile-worker's queue: ready to run now, due later, being run. */
  queue: { waiting: number; scheduled: number; locked: number };
  overdueTasks: number;
  inventory: { pool: string; available: number; reserved: number; assigned: number; threshold: number }[];
  /** Inventory held back after a rollback that did not finish, and the undos still pending or left to ops. */
  quarantine: { items: number; pendingUndos: number; abandonedUndos: number };
  /**
   * Each vendor's guard as the live worker processes see it: on how many its circuit breaker is
   * open (or probing), its last failure, and its shared rate limit with the calls that waited for it.
   */
  vendors: {
    vendor: string;
    open: number;
    processes: number;
    openedAt: Date | null;
    lastError: string | null;
    perSecond: number | null;
    rateLimitWaits: number;
  }[];
}

/** Statuses with more records than this show the planner's estimate instead of a count. */
export const EXACT_STATUS_COUNT_UP_TO = 10_000;

/**
 * Records per status: each status counted on its own, stopping after `exactUpTo + 1` rows, so no
 * count reads the whole table; a status past that gets PostgreSQL's estimate (the table's row count
 * times the status's share in its statistics), never less than `exactUpTo + 1`.
 */
async function recordsByStatus(em: EntityManager, exactUpTo: number): Promise<Dashboard['recordsByStatus']> {
  const [counted, estimated] = await Promise.all([
    // One capped count per status, each planned for its own value: an index scan for a rare
    // status, a short scan for a common one.
    em.execute<{ status: FulfillmentStatus; n: number }[]>(
      FULFILLMENT_STATUSES.map(
        () => `(select ?::text as status, count(*)::int as n
                  from (select 1 from fulfillment_records where status = ? limit ?) capped)`,
      ).join(' union all '),
      FULFILLMENT_STATUSES.flatMap((status) => [status, status, exactUpTo + 1]),
    ),
    em.execute<{ status: string; n: number }[]>(
      `select v.status, round(v.share * greatest(c.reltuples, 0))::int as n
         from pg_stats s
         join pg_class c on c.oid = 'fulfillment_records'::regclass
        cross join unnest(s.most_common_vals::text::text[], s.most_common_freqs) as v(status, share)
        where s.schemaname = current_schema() and s.tablename = 'fulfillment_records' and s.attname = 'status'`,
    ),
  ]);
  return counted
    .filter((row) => row.n > 0)
    .map(({ status, n }) => {
      if (n <= exactUpTo) return { status, count: n, approximate: false };
      const estimate = estimated.find((row) => row.status === status)?.n ?? 0;
      return { status, count: Math.max(estimate, exactUpTo + 1), approximate: true };
    });
}

/** The back office's first page: what is failing, what is waiting, and how much stock is left. */
export async function getDashboard(
  em: EntityManager,
  now: Date,
  { exactUpTo = EXACT_STATUS_COUNT_UP_TO }: { exactUpTo?: number } = {},
): Promise<Dashboard> {
  const hours = Array.from({ length: 24 }, (_, i) => {
    const hour = new Date(now.getTime() - (23 - i) * 3_600_000);
    hour.setUTCMinutes(0, 0, 0);
    return hour;
  });
  const since = hours[0] ?? now;
  const [byStatus, failures, alerts, openAlerts, queue, overdue, pools, quarantine, vendors] = await Promise.all([
    recordsByStatus(em, exactUpTo),
    em.execute<{ hour: Date; n: number }[]>(
      `select date_trunc('hour', failed_at, 'UTC') as hour, count(*)::int as n from fulfillment_records
        where failed_at >= ? group by 1`,
      [since],
    ),
    em.execute<{ hour: Date; n: number }[]>(
      `select date_trunc('hour', created_at, 'UTC') as hour, count(*)::int as n from admin_alerts
        where created_at >= ? group by 1`,
      [since],
    ),
    em.execute<{ n: number }[]>('select count(*)::int as n from admin_alerts where resolved_at is null'),
    em.execute<{ waiting: number; scheduled: number; locked: number }[]>(
      `select count(*) filter (where locked_at is null and run_at <= ? and attempts < max_attempts)::int as waiting,
              count(*) filter (where locked_at is null and run_at > ?)::int as scheduled,
              count(*) filter (where locked_at is not null)::int as locked
         from graphile_worker.jobs`,
      [now, now],
    ),
    em.execute<{ n: number }[]>(
      `select count(*)::int as n from manual_tasks where status in ('open', 'in_progress') and due_at < ?`,
      [now],
    ),
    listInventoryPools(em),
    em.execute<{ items: number; pending: number; abandoned: number }[]>(
      `select (select count(*)::int from inventory_items where status = 'quarantined') as items,
              (select count(*)::int from pending_compensations where status = 'pending') as pending,
              (select count(*)::int from pending_compensations where status = 'abandoned') as abandoned`,
    ),
    em.execute<
      {
        vendor: string;
        open: number;
        processes: number;
        opened_at: Date | null;
        last_error: string | null;
        per_second: number | null;
        waits: number;
      }[]
    >(
      `select coalesce(c.vendor, l.vendor) as vendor, coalesce(c.open, 0) as open, coalesce(c.processes, 0) as processes,
              c.opened_at, c.last_error, l.per_second, coalesce(l.waits, 0)::int as waits
         from (select pc.vendor, count(*) filter (where pc.state <> 'closed')::int as open, count(*)::int as processes,
                      max(pc.opened_at) as opened_at,
                      (array_agg(pc.last_error order by pc.updated_at desc) filter (where pc.last_error is not null))[1]
                        as last_error
                 from provider_circuits pc join worker_nodes n on n.id = pc.node_id group by pc.vendor) c
         full join provider_rate_limits l on l.vendor = c.vendor
        order by 2 desc, 1`,
    ),
  ]);
  const at = (rows: { hour: Date; n: number }[], hour: Date) =>
    rows.find((row) => new Date(row.hour).getTime() === hour.getTime())?.n ?? 0;
  return {
    recordsByStatus: byStatus,
    last24h: hours.map((hour) => ({ hour, failures: at(failures, hour), alerts: at(alerts, hour) })),
    failures24h: failures.reduce((sum, row) => sum + row.n, 0),
    alerts24h: alerts.reduce((sum, row) => sum + row.n, 0),
    openAlerts: openAlerts[0]?.n ?? 0,
    queue: queue[0] ?? { waiting: 0, scheduled: 0, locked: 0 },
    overdueTasks: overdue[0]?.n ?? 0,
    inventory: pools.map((pool) => ({
      pool: pool.name,
      available: pool.counts.available,
      reserved: pool.counts.reserved,
      assigned: pool.counts.assigned,
      threshold: pool.lowStockThreshold,
    })),
    quarantine: {
      items: quarantine[0]?.items ?? 0,
      pendingUndos: quarantine[0]?.pending ?? 0,
      abandonedUndos: quarantine[0]?.abandoned ?? 0,
    },
    vendors: vendors.map((row) => ({
      vendor: row.vendor,
      open: row.open,
      processes: row.processes,
      openedAt: row.opened_at,
      lastError: row.last_error,
      perSecond: row.per_second === null ? null : Number(row.per_second),
      rateLimitWaits: row.waits,
    })),
  };
}
