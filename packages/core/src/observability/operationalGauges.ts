import type { EntityManager } from '@mikro-orm/postgresql';

/** What the database says about the installation as a whole, for the metrics and the back office. */
export interface OperationalGauges {
  jobs: { task: string; state: 'queued' | 'scheduled' | 'running' | 'failed'; count: number }[];
  oldestQueued: { task: string; ageSeconds: number }[];
  records: { status: string; driver: string; count: number }[];
  outbox: { channel: string; pending: number; possibleDuplicates: number }[];
  outboxOldestPendingSeconds: number;
  inventory: { pool: string; status: string; count: number }[];
  circuits: { vendor: string; open: number }[];
  rateLimits: { vendor: string; waits: number }[];
  alerts: { type: string; severity: string; open: number }[];
}

/**
 * One read of every gauge. A job is `failed` once it has no attempt left, `running` while a
 * worker holds it, `queued` when due and free, `scheduled` when due later.
 */
export async function readOperationalGauges(em: EntityManager): Promise<OperationalGauges> {
  const [jobs, oldestQueued, records, outbox, oldestPending, inventory, circuits, rateLimits, alerts] =
    await Promise.all([
      em.execute<{ task: string; state: OperationalGauges['jobs'][number]['state']; count: number }[]>(
        `select t.identifier as task,
                case when j.attempts >= j.max_attempts then 'failed'
                     when j.locked_at is not null then 'running'
                     when j.run_at <= now() then 'queued'
                     else 'scheduled' end as state,
                count(*)::int as count
           from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
          group by 1, 2`,
      ),
      em.execute<{ task: string; age_seconds: number }[]>(
        `select t.identifier as task, extract(epoch from now() - min(j.run_at))::float8 as age_seconds
           from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
          where j.locked_at is null and j.run_at <= now() and j.attempts < j.max_attempts
          group by 1`,
      ),
      em.execute<{ status: string; driver: string; count: number }[]>(
        'select status, driver, count(*)::int as count from fulfillment_records group by 1, 2',
      ),
      em.execute<{ channel: string; pending: number; possible_duplicates: number }[]>(
        `select channel, count(*) filter (where status = 'pending')::int as pending,
                coalesce(sum(uncertain_sends), 0)::int as possible_duplicates
           from outbox where status = 'pending' or uncertain_sends > 0 group by 1`,
      ),
      em.execute<{ age_seconds: number | null }[]>(
        `select extract(epoch from now() - min(created_at))::float8 as age_seconds from outbox where status = 'pending'`,
      ),
      em.execute<{ pool: string; status: string; count: number }[]>(
        `select p.slug as pool, i.status, count(*)::int as count
           from inventory_items i join inventory_pools p on p.id = i.pool_id group by 1, 2`,
      ),
      em.execute<{ vendor: string; open: number }[]>(
        `select vendor, count(*) filter (where state <> 'closed')::int as open
           from provider_circuits c join worker_nodes n on n.id = c.node_id group by 1`,
      ),
      em.execute<{ vendor: string; waits: number }[]>('select vendor, waits::int as waits from provider_rate_limits'),
      em.execute<{ type: string; severity: string; open: number }[]>(
        `select type, severity, count(*)::int as open from admin_alerts where resolved_at is null group by 1, 2`,
      ),
    ]);
  return {
    jobs,
    oldestQueued: oldestQueued.map((row) => ({ task: row.task, ageSeconds: row.age_seconds })),
    records,
    outbox: outbox.map((row) => ({
      channel: row.channel,
      pending: row.pending,
      possibleDuplicates: row.possible_duplicates,
    })),
    outboxOldestPendingSeconds: oldestPending[0]?.age_seconds ?? 0,
    inventory,
    circuits,
    rateLimits,
    alerts,
  };
}
