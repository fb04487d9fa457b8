import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';

export interface WorkerNodeInfo {
  id: string;
  hostname: string;
  pid: number;
  workerIds: string[];
}

/** Records that a worker process is alive, with the graphile-worker ids it locks jobs under. */
export async function beatWorkerNode(em: EntityManager, node: WorkerNodeInfo, clock: Clock): Promise<void> {
  await em.execute(
    `insert into worker_nodes (id, hostname, pid, worker_ids, heartbeat_at) values (?, ?, ?, ?::jsonb, ?)
     on conflict (id) do update set worker_ids = excluded.worker_ids, heartbeat_at = excluded.heartbeat_at`,
    [node.id, node.hostname, node.pid, JSON.stringify(node.workerIds), clock.now().toISOString()],
  );
}

export async function removeWorkerNode(em: EntityManager, nodeId: string): Promise<void> {
  await em.execute('delete from worker_nodes where id = ?', [nodeId]);
}

/**
 * Frees what crashed worker processes held: their graphile-worker jobs go back to the queue
 * at once (instead of after graphile-worker's 4 hour lock timeout) and their fulfillment
 * leases end. Returns the ids of the processes found dead.
 */
export async function reapDeadWorkerNodes(em: EntityManager, clock: Clock, staleAfterMs: number): Promise<string[]> {
  const cutoff = new Date(clock.now().getTime() - staleAfterMs).toISOString();
  // Arrays travel as JSON: the query builder would spread a JS array into a list.
  return em.transactional(async (tem) => {
    const dead = await tem.execute<{ id: string; worker_ids: string[] }[]>(
      'delete from worker_nodes where heartbeat_at < ? returning id, worker_ids',
      [cutoff],
    );
    if (dead.length === 0) return [];
    const nodeIds = dead.map((row) => row.id);
    const workerIds = dead.flatMap((row) => row.worker_ids);
    if (workerIds.length > 0) {
      await tem.execute(
        'select graphile_worker.force_unlock_workers(array(select jsonb_array_elements_text(?::jsonb)))',
        [JSON.stringify(workerIds)],
      );
    }
    await tem.execute(
      `update fulfillment_records set locked_by = null, locked_until = null
       where locked_by in (select jsonb_array_elements_text(?::jsonb))`,
      [JSON.stringify(nodeIds)],
    );
    return nodeIds;
  });
}
