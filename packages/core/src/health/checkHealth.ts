import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';

export interface HealthReport {
  ok: boolean;
  database: { ok: boolean; latencyMs: number; error?: string };
  worker: { ok: boolean; liveProcesses: number; lastHeartbeatAt: string | null };
}

/** A worker process that has not beaten for this long is taken for dead. */
export const WORKER_STALE_AFTER_MS = 30_000;

/** A database that has not answered the health query by then counts as down. */
export const HEALTH_TIMEOUT_MS = 3_000;

/**
 * The server's view: can it reach the database (within HEALTH_TIMEOUT_MS: a database that is
 * restarting or failing over is down, not slow), and is a worker process alive?
 */
export async function checkHealth(
  em: EntityManager,
  clock: Clock,
  staleAfterMs = WORKER_STALE_AFTER_MS,
): Promise<HealthReport> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const query = em.execute<{ live: string; last: Date | null }[]>(
      `select count(*) filter (where heartbeat_at > ?::timestamptz) as live, max(heartbeat_at) as last from worker_nodes`,
      [new Date(clock.now().getTime() - staleAfterMs).toISOString()],
    );
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the database did not answer within ${HEALTH_TIMEOUT_MS} ms`)),
        HEALTH_TIMEOUT_MS,
      );
    });
    query.catch(() => {});
    const [row] = await Promise.race([query, timeout]);
    const latencyMs = Math.round(performance.now() - started);
    const liveProcesses = Number(row?.live ?? 0);
    return {
      ok: liveProcesses > 0,
      database: { ok: true, latencyMs },
      worker: {
        ok: liveProcesses > 0,
        liveProcesses,
        lastHeartbeatAt: row?.last ? new Date(row.last).toISOString() : null,
      },
    };
  } catch (error) {
    return {
      ok: false,
      database: { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message },
      worker: { ok: false, liveProcesses: 0, lastHeartbeatAt: null },
    };
  } finally {
    clearTimeout(timer);
  }
}
