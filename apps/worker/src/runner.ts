import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { beatWorkerNode, type Clock, reapDeadWorkerNodes, removeWorkerNode } from '@handover/core';
import type { Orm } from '@handover/db';
import { type CronItem, parseCronItems, type Runner, run, type TaskList, type WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config';
import { graphileLogger } from './logger';

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
}

export interface RunningWorker {
  /** This process's id in worker_nodes; fulfillment leases are held under it. */
  nodeId: string;
  runner: Runner;
  stop(): Promise<void>;
}

/**
 * Runs graphile-worker with the task list and cron items, and keeps this process's heartbeat so
 * that, if it crashes, another process frees its jobs and leases within WORKER_STALE_AFTER_MS.
 */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { config, orm, clock, logger, nodeId } = deps;
  const workerIds = new Set<string>();
  const node = () => ({ id: nodeId, hostname: hostname(), pid: process.pid, workerIds: [...workerIds] });

  const events: WorkerEvents = new EventEmitter();
  events.on('pool:create', ({ workerPool }) => workerIds.add(workerPool.id));
  events.on('worker:create', ({ worker }) => workerIds.add(worker.workerId));

  const beat = async () => {
    try {
      await beatWorkerNode(orm.em.fork(), node(), clock);
    } catch (error) {
      logger.warn({ err: error }, 'worker heartbeat failed');
    }
  };
  const reap = async () => {
    try {
      const dead = await reapDeadWorkerNodes(orm.em.fork(), clock, config.WORKER_STALE_AFTER_MS);
      if (dead.length > 0) logger.warn({ dead }, 'freed the jobs and leases of crashed worker processes');
    } catch (error) {
      logger.warn({ err: error }, 'reaping crashed workers failed');
    }
  };

  await beat();
  await reap();
  // The pool is ours, with error listeners for its whole life: a connection the server ends
  // while it sits idle (a database restart, or a stop racing this one) is logged, never a crash;
  // one that fails while in use fails its next query, which the job retries (logged at debug
  // here, as an idle one is also reported to the pool's listener). Only the error's message and
  // code are logged: pg attaches the whole client to it.
  let stopping = false;
  let endedLoggedAt = 0;
  const pgPool = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: config.WORKER_CONCURRENCY + 2,
    application_name: JOB_QUEUE_APPLICATION_NAME,
  });
  pgPool.on('error', (error) => {
    const details = databaseErrorFields(error);
    if (!stopping && !isServerShutdown(error)) {
      logger.warn(details, 'an idle database connection of the job queue ended');
    } else if (Date.now() - endedLoggedAt > 60_000) {
      // Once a minute: a stopping database ends every idle connection at the same moment.
      endedLoggedAt = Date.now();
      logger.info(
        details,
        "the database ended the job queue's idle connections (it is stopping or restarting, or an operator ended them)",
      );
    }
  });
  pgPool.on('connect', (client) => {
    client.on('error', (error) =>
      logger.debug(databaseErrorFields(error), 'a database connection of the job queue failed'),
    );
  });
  const runner = await run({
    pgPool,
    concurrency: config.WORKER_CONCURRENCY,
    pollInterval: config.WORKER_POLL_INTERVAL_MS,
    noHandleSignals: true,
    taskList: deps.taskList,
    // Parsed here so no cron items means none, not "read ./crontab".
    parsedCronItems: parseCronItems(deps.cronItems),
    logger: graphileLogger(logger),
    events,
    preset: { worker: jobBatching(config) },
  });
  await beat();

  const heartbeat = setInterval(beat, config.WORKER_HEARTBEAT_MS);
  const reaper = setInterval(reap, Math.max(500, Math.floor(config.WORKER_STALE_AFTER_MS / 2)));
  logger.info({ nodeId, concurrency: config.WORKER_CONCURRENCY }, 'worker started');

  let stopped: Promise<void> | null = null;
  return {
    nodeId,
    runner,
    stop: () => {
      stopped ??= (async () => {
        stopping = true;
        clearInterval(heartbeat);
        clearInterval(reaper);
        await runner.stop();
        await pgPool.end().catch(() => {});
        await removeWorkerNode(orm.em.fork(), nodeId).catch(() => {});
        logger.info({ nodeId }, 'worker stopped');
      })();
      return stopped;
    },
  };
}

/**
 * graphile-worker's batching: the pool fetches (and locks) a few jobs at a time and completes
 * the jobs that finish together in one statement, so a job costs fewer round trips. A worker
 * that crashes leaves its fetched jobs locked, and the reaper frees them with its other jobs.
 */
export function jobBatching(config: Pick<WorkerConfig, 'WORKER_LOCAL_QUEUE_SIZE' | 'WORKER_COMPLETE_BATCH_MS'>) {
  return {
    ...(config.WORKER_LOCAL_QUEUE_SIZE > 1 ? { localQueue: { size: config.WORKER_LOCAL_QUEUE_SIZE } } : {}),
    completeJobBatchDelay: config.WORKER_COMPLETE_BATCH_MS,
    failJobBatchDelay: config.WORKER_COMPLETE_BATCH_MS,
  };
}

/** The engine's connections, as pg_stat_activity names them. */
export const ENGINE_APPLICATION_NAME = 'handover engine';

/**
 * The fulfillment engine's own connections. A connection the database ends while it sits idle
 * (a restart) is logged and replaced at the next use; one that fails in use fails its query,
 * which the job retries.
 */
export function createEnginePool(url: string, max: number, logger: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: ENGINE_APPLICATION_NAME });
  pool.on('error', (error) => logger.info(databaseErrorFields(error), 'an idle engine database connection ended'));
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.debug(databaseErrorFields(error), 'an engine database connection failed'));
  });
  return pool;
}

/** The job queue's connections, as pg_stat_activity names them. */
export const JOB_QUEUE_APPLICATION_NAME = 'handover job queue';

/** What is worth logging of a connection's error: never the client pg attaches to it. */
function databaseErrorFields(error: Error): { reason: string; code?: string } {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { reason: error.message, code } : { reason: error.message };
}

/** PostgreSQL ends its sessions with `admin_shutdown` (57P01) when it stops or restarts. */
function isServerShutdown(error: Error): boolean {
  return (error as { code?: unknown }).code === '57P01';
}
