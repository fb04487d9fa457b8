import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';

export interface WorkerNodeInfo {
  id: string;
  hostname: string;
  pid: number;
  workerIds: string[];
}

/**
 * Records that a worker process is alive, with the graphile-worker ids it locks jobs under.
 * Returns false when the process had no row: it was taken for dead (it could not beat for
 * longer than the stale timeout) and its jobs may have been handed to others meanwhile.
 */
export async function beatWorkerNode(em: EntityManager, node: WorkerNodeInfo, clock: Clock): Promise<boolean> {
  const [row] = await em.execute<{ existed: boolean }[]>(
    `insert into worker_nodes (id, hostname, pid, worker_ids, heartbeat_at) values (?, ?, ?, ?::jsonb, ?)
     on conflict (id) do update set worker_ids = excluded.worker_ids, heartbeat_at = excluded.heartbeat_at
     returning (xmax <> 0) as existed`,
    [node.id, node.hostname, node.pid, JSON.stringify(node.workerIds), clock.now().toISOString()],
  );
  return row?.existed ?? false;
}

export async function removeWorkerNode(em: EntityManager, nodeId: string): Promise<void> {
  await em.execute('delete from worker_nodes where id = ?', [nodeId]);
  await em.execute('delete from provider_circuits where node_id = ?', [nodeId]);
}

export interface ReapResult {
  /** Processes found dead: their rows are gone, their jobs and leases freed. */
  deadNodes: string[];
  /** graphile-worker ids no live process claims whose jobs were freed (a queue restarted, a process killed before it beat). */
  orphanWorkerIds: string[];
}

/**
 * Frees what crashed worker processes held, within the stale timeout whatever the job: their
 * graphile-worker jobs go back to the queue at once (instead of after graphile-worker's 4 hour
 * lock timeout) and their fulfillment leases end. A job locked for longer than the stale timeout
 * under an id that no live process claims is freed too, whoever locked it: a process killed
 * before its first heartbeat named its ids, or a queue a live process restarted. `self` is never
 * taken for dead (it is the one asking), and nobody is while the database itself has been up
 * for less than the stale timeout (a restart silenced everyone). `orphans: false` skips the
 * sweep for unclaimed ids. Returns what was freed.
 */
export async function reapDeadWorkerNodes(
  em: EntityManager,
  clock: Clock,
  staleAfterMs: number,
  { self, orphans: sweepOrphans = true }: { self?: string; orphans?: boolean } = {},
): Promise<ReapResult> {
  const cutoff = new Date(clock.now().getTime() - staleAfterMs).toISOString();
  // Arrays travel as JSON: the query builder would spread a JS array into a list.
  return em.transactional(async (tem) => {
    // A database that started within the stale period has heard from nobody yet: nobody is judged.
    const [fresh] = await tem.execute<{ restarted: boolean }[]>(
      'select pg_postmaster_start_time() > ?::timestamptz as restarted',
      [cutoff],
    );
    if (fresh?.restarted) return { deadNodes: [], orphanWorkerIds: [] };
    const dead = await tem.execute<{ id: string; worker_ids: string[] }[]>(
      'delete from worker_nodes where heartbeat_at < ? and id <> ? returning id, worker_ids',
      [cutoff, self ?? ''],
    );
    const nodeIds = dead.map((row) => row.id);
    // The sweep reads the whole job table (graphile-worker has no index on locked_by): callers run it less often.
    const orphans = !sweepOrphans
      ? []
      : await tem.execute<{ locked_by: string }[]>(
          `select distinct locked_by from graphile_worker._private_jobs
        where locked_by is not null and locked_at < ?
          and locked_by not in (select jsonb_array_elements_text(worker_ids) from worker_nodes)
       union
       select distinct locked_by from graphile_worker._private_job_queues
        where locked_by is not null and locked_at < ?
          and locked_by not in (select jsonb_array_elements_text(worker_ids) from worker_nodes)`,
          [cutoff, cutoff],
        );
    const orphanWorkerIds = orphans
      .map((row) => row.locked_by)
      .filter((id) => !dead.some((d) => d.worker_ids.includes(id)));
    const workerIds = [...dead.flatMap((row) => row.worker_ids), ...orphanWorkerIds];
    if (workerIds.length > 0) await forceUnlockWorkers(tem, workerIds);
    if (nodeIds.length > 0) {
      await tem.execute(
        `update fulfillment_records set locked_by = null, locked_until = null
         where locked_by in (select jsonb_array_elements_text(?::jsonb))`,
        [JSON.stringify(nodeIds)],
      );
      await tem.execute('delete from provider_circuits where node_id in (select jsonb_array_elements_text(?::jsonb))', [
        JSON.stringify(nodeIds),
      ]);
    }
    return { deadNodes: nodeIds, orphanWorkerIds };
  });
}

/** graphile-worker's own way to put the jobs (and job queues) locked under `workerIds` back in the queue. */
export async function forceUnlockWorkers(em: EntityManager, workerIds: readonly string[]): Promise<void> {
  await em.execute('select graphile_worker.force_unlock_workers(array(select jsonb_array_elements_text(?::jsonb)))', [
    JSON.stringify(workerIds),
  ]);
}
