import { EventEmitter } from 'node:events';
import { connectionErrorFields, waitForDatabase } from '@handover/db';
import { type CronItem, parseCronItems, type Runner, run, type TaskList, type WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config';
import { graphileLogger } from './logger';

export type JobQueueState = 'starting' | 'running' | 'restarting' | 'stopped';

export interface JobQueueOptions {
  config: WorkerConfig;
  taskList: TaskList;
  cronItems: CronItem[];
  logger: Logger;
  /** A new graphile-worker id (a pool's or a worker's): it must be in the heartbeat before its locks age. */
  onWorkerId(id: string): void;
  /** Puts the jobs locked under a lost queue's ids back (graphile-worker's force_unlock_workers). */
  freeWorkerIds(ids: readonly string[]): Promise<void>;
  /** Hears graphile-worker's events and sees its pool, for metrics. */
  observe?(events: WorkerEvents, pool: pg.Pool): void;
}

interface Running {
  runner: Runner;
  pool: pg.Pool;
  ids: Set<string>;
}

/**
 * graphile-worker's runner, kept running across database restarts. graphile-worker 0.17 gives
 * up on its worker pool when marking jobs done or failed meets a lost connection ("queue is in
 * an inconsistent state; aborting"): the pool stops taking jobs while the process lives on. When
 * that happens (or the runner stops for any reason but ours, or the process hears of a lost
 * connection the library did not handle), the queue is taken down, the database is awaited with
 * backoff, the jobs the old queue held are put back, and a new runner starts.
 */
export class JobQueue {
  private current: Running | null = null;
  private restarting: Promise<void> | null = null;
  private stopping = false;
  private restarts = 0;
  private readonly abort = new AbortController();
  state: JobQueueState = 'starting';

  constructor(private readonly options: JobQueueOptions) {}

  /** The ids the running queue locks jobs under. */
  get workerIds(): string[] {
    return [...(this.current?.ids ?? [])];
  }

  /** How many times the queue was restarted after losing the database. */
  get restartCount(): number {
    return this.restarts;
  }

  get runner(): Runner | null {
    return this.current?.runner ?? null;
  }

  async start(): Promise<void> {
    this.current = await this.launch();
    this.state = 'running';
  }

  /** The queue, or the process, lost its database connection in a way the queue does not recover from. */
  lost(reason: string, error?: unknown): void {
    if (this.stopping || this.restarting || this.state !== 'running') return;
    this.restarting = this.restart(reason, error).finally(() => {
      this.restarting = null;
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.restarting?.catch(() => {});
    const running = this.current;
    this.current = null;
    this.state = 'stopped';
    if (running) {
      await running.runner.stop().catch(() => {});
      await running.pool.end().catch(() => {});
    }
  }

  private async restart(reason: string, error: unknown): Promise<void> {
    const { logger, config } = this.options;
    this.state = 'restarting';
    logger.warn(
      { reason, ...(error ? connectionErrorFields(error) : {}) },
      'the job queue lost the database; it restarts once the database answers',
    );
    const old = this.current;
    this.current = null;
    if (old) await dispose(old);
    let logged = 0;
    try {
      await waitForDatabase(config.DATABASE_URL, {
        signal: this.abort.signal,
        onRetry: (retryError, attempt, delayMs) => {
          if (Date.now() - logged < 10_000) return;
          logged = Date.now();
          logger.info({ ...connectionErrorFields(retryError), attempt, delayMs }, 'waiting for the database');
        },
      });
      if (old) await this.options.freeWorkerIds([...old.ids]);
      if (this.stopping) return;
      this.current = await this.launch();
      this.restarts++;
      this.state = 'running';
      logger.info({ restarts: this.restarts }, 'the job queue is running again');
    } catch (restartError) {
      if (this.stopping) return;
      // The database went away again while the queue came back: try once more from the top.
      this.state = 'running';
      this.lost('restart failed', restartError);
    }
  }

  private async launch(): Promise<Running> {
    const { config, logger } = this.options;
    const ids = new Set<string>();
    const pool = jobQueuePool(config.DATABASE_URL, config.WORKER_CONCURRENCY + 2, logger);
    const events: WorkerEvents = new EventEmitter();
    const addId = (id: string) => {
      ids.add(id);
      this.options.onWorkerId(id);
    };
    events.on('pool:create', ({ workerPool }) => addId(workerPool.id));
    events.on('worker:create', ({ worker }) => addId(worker.workerId));
    events.on('pool:fatalError', ({ error }) => this.lost('marking jobs done or failed failed', error));
    events.on('worker:fatalError', ({ error }) => this.lost('a worker could not release its job', error));
    this.options.observe?.(events, pool);
    const runner = await run({
      pgPool: pool,
      concurrency: config.WORKER_CONCURRENCY,
      pollInterval: config.WORKER_POLL_INTERVAL_MS,
      noHandleSignals: true,
      taskList: this.options.taskList,
      // Parsed here so no cron items means none, not "read ./crontab".
      parsedCronItems: parseCronItems(this.options.cronItems),
      logger: graphileLogger(logger),
      events,
      preset: { worker: jobBatching(config) },
    });
    const running: Running = { runner, pool, ids };
    // The runner stops by itself only when its pool gave up: that is a lost queue, not a stop.
    runner.promise.then(
      () => this.current === running && this.lost('the job queue stopped by itself'),
      (error) => this.current === running && this.lost('the job queue stopped with an error', error),
    );
    return running;
  }
}

/** Stops a queue that lost its database, without waiting for ever on calls that cannot finish. */
async function dispose({ runner, pool }: Running): Promise<void> {
  const settle = (work: Promise<unknown>, ms: number) =>
    Promise.race([work.catch(() => {}), new Promise((resolve) => setTimeout(resolve, ms).unref())]);
  await settle(runner.stop(), 10_000);
  await settle(pool.end(), 2_000);
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

/** The job queue's connections, as pg_stat_activity names them. */
export const JOB_QUEUE_APPLICATION_NAME = 'handover job queue';

/**
 * The job queue's pool, with error listeners for its whole life: a connection the server ends
 * while it sits idle (a database restart, or a stop racing this one) is logged, never a crash;
 * one that fails while in use fails its next query, which the job retries (logged at debug
 * here, as an idle one is also reported to the pool's listener). Only the error's message and
 * code are logged: pg attaches the whole client to it.
 */
function jobQueuePool(url: string, max: number, logger: Logger): pg.Pool {
  let endedLoggedAt = 0;
  const pool = new pg.Pool({ connectionString: url, max, application_name: JOB_QUEUE_APPLICATION_NAME });
  pool.on('error', (error) => {
    const details = connectionErrorFields(error);
    if (!isServerShutdown(error)) {
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
  pool.on('connect', (client) => {
    client.on('error', (error) =>
      logger.debug(connectionErrorFields(error), 'a database connection of the job queue failed'),
    );
  });
  return pool;
}

/** PostgreSQL ends its sessions with `admin_shutdown` (57P01) when it stops or restarts. */
function isServerShutdown(error: Error): boolean {
  return (error as { code?: unknown }).code === '57P01';
}
