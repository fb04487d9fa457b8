import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { beatWorkerNode, type Clock, forceUnlockWorkers, reapDeadWorkerNodes, removeWorkerNode } from '@handover/core';
import { connectionErrorFields, type Orm } from '@handover/db';
import type { CronItem, Runner, TaskList, WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config';
import { JobQueue, type JobQueueState } from './jobQueue';

export { JOB_QUEUE_APPLICATION_NAME, jobBatching } from './jobQueue';

/** A worker process's id: fulfillment leases and worker_nodes rows are keyed by it. */
export function createNodeId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export interface WorkerDeps {
  nodeId: string;
  config: WorkerConfig;
  orm: Orm;
  clock: Clock;
  logger: Logger;
  taskList: TaskList;
  cronItems: CronItem[];
  /** Hears graphile-worker's events and sees its pool (a new one after a restart), for metrics. */
  observe?(events: WorkerEvents, pool: pg.Pool): void;
}

export interface WorkerHealth {
  ok: boolean;
  database: { ok: boolean; lastHeartbeatAt: string | null; error?: string };
  queue: { state: JobQueueState; restarts: number };
}

export interface RunningWorker {
  /** This process's id in worker_nodes; fulfillment leases are held under it. */
  nodeId: string;
  /** The current graphile-worker runner (a new one after the database came back). */
  readonly runner: Runner | null;
  health(): WorkerHealth;
  /** The process heard of a lost database connection outside the queue's own handling. */
  databaseLost(error: unknown): void;
  stop(): Promise<void>;
}

/**
 * Runs graphile-worker with the task list and cron items, keeps this process's heartbeat so
 * that, if it crashes, another process frees its jobs and leases within WORKER_STALE_AFTER_MS,
 * and reaps the processes that stopped beating. A database restart is ridden out: the heartbeat
 * fails (health says so), the queue comes back by itself, and nobody is reaped for the silence
 * the restart caused.
 */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { config, orm, clock, logger, nodeId } = deps;
  const publishedIds = new Set<string>();
  const node = () => ({ id: nodeId, hostname: hostname(), pid: process.pid, workerIds: [...publishedIds] });

  let lastBeatAt: number | null = null;
  let databaseError: string | undefined;
  /** When the heartbeat last came back after failing; null while it never failed. */
  let recoveredAt: number | null = null;
  let failing = false;
  /** When jobs locked under ids no process claims were last looked for. */
  let sweptAt = 0;

  const beat = async () => {
    try {
      const known = await beatWorkerNode(orm.em.fork(), node(), clock);
      if (!known && lastBeatAt !== null) {
        logger.warn(
          { nodeId },
          'this process was taken for dead while it could not reach the database; jobs it held may have run elsewhere',
        );
      }
      lastBeatAt = Date.now();
      databaseError = undefined;
      if (failing) {
        failing = false;
        recoveredAt = Date.now();
        logger.info({ nodeId }, 'the database answers again');
      }
    } catch (error) {
      databaseError = connectionErrorFields(error).reason;
      if (!failing) logger.warn({ err: error }, 'worker heartbeat failed');
      failing = true;
    }
  };
  const reap = async () => {
    // After losing the database, every other process was as silent as this one: judge them only
    // once they have had a stale period to beat again.
    if (failing || (recoveredAt !== null && Date.now() - recoveredAt < config.WORKER_STALE_AFTER_MS)) return;
    try {
      const orphans = Date.now() - sweptAt >= config.WORKER_STALE_AFTER_MS / 2;
      const freed = await reapDeadWorkerNodes(orm.em.fork(), clock, config.WORKER_STALE_AFTER_MS, {
        self: nodeId,
        orphans,
      });
      if (orphans) sweptAt = Date.now();
      if (freed.deadNodes.length > 0) {
        logger.warn({ dead: freed.deadNodes }, 'freed the jobs and leases of crashed worker processes');
      }
      if (freed.orphanWorkerIds.length > 0) {
        logger.warn({ workerIds: freed.orphanWorkerIds }, 'freed jobs locked under ids no live process claims');
      }
    } catch (error) {
      logger.warn({ err: error }, 'reaping crashed workers failed');
    }
  };

  const queue = new JobQueue({
    config,
    taskList: deps.taskList,
    cronItems: deps.cronItems,
    logger,
    observe: deps.observe,
    onWorkerId: (id) => {
      publishedIds.add(id);
      // Published at once: the reaper frees locks under ids no live process names.
      void beat();
    },
    freeWorkerIds: async (ids) => {
      for (const id of ids) publishedIds.delete(id);
      await forceUnlockWorkers(orm.em.fork(), ids);
      await beat();
    },
  });

  await beat();
  await reap();
  await queue.start();
  await beat();

  const heartbeat = setInterval(beat, config.WORKER_HEARTBEAT_MS);
  // Often enough that a dead process's jobs are free within the stale timeout and one heartbeat.
  const reaper = setInterval(reap, reaperInterval(config));
  logger.info({ nodeId, concurrency: config.WORKER_CONCURRENCY }, 'worker started');

  let stopped: Promise<void> | null = null;
  return {
    nodeId,
    get runner() {
      return queue.runner;
    },
    health: () => {
      const fresh = lastBeatAt !== null && Date.now() - lastBeatAt < config.WORKER_HEARTBEAT_MS * 3;
      const databaseOk = !failing && fresh;
      return {
        ok: databaseOk && queue.state === 'running',
        database: {
          ok: databaseOk,
          lastHeartbeatAt: lastBeatAt === null ? null : new Date(lastBeatAt).toISOString(),
          ...(databaseError ? { error: databaseError } : {}),
        },
        queue: { state: queue.state, restarts: queue.restartCount },
      };
    },
    databaseLost: (error) => queue.lost('the process lost a database connection', error),
    stop: () => {
      stopped ??= (async () => {
        clearInterval(heartbeat);
        clearInterval(reaper);
        await queue.stop();
        await removeWorkerNode(orm.em.fork(), nodeId).catch(() => {});
        logger.info({ nodeId }, 'worker stopped');
      })();
      return stopped;
    },
  };
}

export function reaperInterval(config: Pick<WorkerConfig, 'WORKER_HEARTBEAT_MS' | 'WORKER_STALE_AFTER_MS'>): number {
  return Math.max(100, Math.min(config.WORKER_HEARTBEAT_MS, Math.floor(config.WORKER_STALE_AFTER_MS / 4)));
}

/** The engine's connections, as pg_stat_activity names them. */
export const ENGINE_APPLICATION_NAME = 'handover engine';

/**
 * The fulfillment engine's own connections. A connection the database ends while it sits idle
 * (a restart) is logged and replaced at the next use; one that fails in use fails its query,
 * which the job retries.
 */
export function createEnginePool(url: string, max: number, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: ENGINE_APPLICATION_NAME,
    connectionTimeoutMillis: 5_000,
  });
  pool.on('error', (error) => logger.info(connectionErrorFields(error), 'an idle engine database connection ended'));
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.debug(connectionErrorFields(error), 'an engine database connection failed'));
  });
  return pool;
}
