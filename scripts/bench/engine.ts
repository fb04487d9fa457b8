// `pnpm bench:engine`: the fulfillment engine's throughput, in one run on one embedded PostgreSQL
// and one sandbox endpoint.
//
// 1. The limit: bare graphile-worker no-op jobs per second, with the engine's worker settings.
// 2. Records per second through a two-step driver (create, activate: one POST each to the
//    sandbox), with one worker process, then with two.
// 3. DBOS Transact running the same two-step workflow (each step the same POST) with the same
//    number in flight, in this process.
// 4. Latency: records arriving one every 25 ms, enqueue to completed, with one worker process.

import { randomBytes } from 'node:crypto';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { choosePort } from '@handover/db/embedded';
import { createTestDatabase, startTestPostgres } from '@handover/db/testing';
import { Logger, run } from 'graphile-worker';
import pg from 'pg';
import { type ManagedProcess, startProcess, waitForHttp } from '../lib/processes';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 5);
const BASELINE_JOBS = 5000;
const RECORDS = Number(process.env.BENCH_RECORDS ?? 2000);
const LATENCY_RATE_PER_S = 40;
const LATENCY_SECONDS = 10;

const silent = new Logger(() => () => {});

async function until(probe: () => Promise<boolean>, timeoutMs = 600_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error('bench did not finish in time');
}

async function noopJobsPerSecond(url: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  await pool.query(
    `select graphile_worker.add_jobs(array(select row('noop', '{}'::json, null, null, null, null, null, null)::graphile_worker.job_spec from generate_series(1, $1)))`,
    [BASELINE_JOBS],
  );
  await pool.end();
  let done = 0;
  const started = performance.now();
  const runner = await run({
    connectionString: url,
    concurrency: CONCURRENCY,
    pollInterval: 1000,
    noHandleSignals: true,
    logger: silent,
    taskList: { noop: async () => void done++ },
  });
  await until(async () => done >= BASELINE_JOBS);
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  return BASELINE_JOBS / seconds;
}

/** A database with one product and one customer; records are added to it in bulk. */
async function benchDatabase(adminUrl: string) {
  const db = await createTestDatabase(adminUrl);
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const {
    rows: [ids],
  } = await pool.query<{ product_id: string; user_id: string }>(
    `with p as (insert into products (slug, name, price_minor, currency, delivery_model, fulfillment_driver, fulfillment_config)
                values ('bench', 'Bench', 100, 'USD', 'saas_singletenant', 'testkit', '{}') returning id),
          u as (insert into users (email) values ('bench@example.com') returning id)
     select (select id from p) as product_id, (select id from u) as user_id`,
  );
  if (!ids) throw new Error('bench database not seeded');

  /** `count` paid orders of one record each, with their `fulfill` jobs, in one statement. */
  const place = async (label: string, count: number) => {
    await pool.query(
      `with g as (select n, gen_random_uuid() as oid, gen_random_uuid() as iid, gen_random_uuid() as rid
                    from generate_series(1, $1::int) n),
            o as (insert into orders (id, order_code, user_id, email, amount_minor, currency, paid_at)
                  select oid, $2 || '-' || n, $3, 'bench@example.com', 100, 'USD', now() from g returning 1),
            i as (insert into order_items (id, order_id, product_id, product_name, driver, unit_price_minor, currency, input)
                  select iid, oid, $4, 'Bench', 'testkit', 100, 'USD', jsonb_build_object('label', $2 || '-' || n)
                    from g returning 1),
            r as (insert into fulfillment_records (id, order_id, order_item_id, product_id, driver, subject, payload_snapshot, max_attempts)
                  select rid, oid, iid, $4, 'testkit', $2 || '-' || n, jsonb_build_object('label', $2 || '-' || n), 3
                    from g returning 1),
            j as (select graphile_worker.add_job('fulfill', json_build_object('recordId', rid), max_attempts => 25,
                                                 job_key => 'fulfill:' || rid, job_key_mode => 'unsafe_dedupe') from g)
       select (select count(*) from o) + (select count(*) from i) + (select count(*) from r) + (select count(*) from j)`,
      [count, label, ids.user_id, ids.product_id],
    );
  };
  /** Completed records, counted through the (status, created_at) index. */
  const completed = async () => {
    const { rows } = await pool.query<{ n: number }>(
      `select count(*)::int as n from fulfillment_records where status = 'completed'`,
    );
    return rows[0]?.n ?? 0;
  };
  return { db, pool, place, completed };
}

/** Where the worker processes send their emails: the sandbox's mail server. */
let smtpPort = 0;

function startWorkers(count: number, databaseUrl: string, testkitUrl: string): ManagedProcess[] {
  return Array.from({ length: count }, (_, n) =>
    startProcess({
      name: `worker-${n + 1}`,
      // The worker with a two-step testkit driver (create, activate) that calls the sandbox over HTTP.
      entry: 'apps/worker/test/support/testWorker.ts',
      // BENCH_PROFILE=<dir>: a CPU profile of each worker process, to see where its time goes.
      nodeArgs: process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
      env: {
        DATABASE_URL: databaseUrl,
        TESTKIT_URL: testkitUrl,
        TESTKIT_STEPS: 'create,activate',
        HANDOVER_ENCRYPTION_KEYS: `bench=${randomBytes(32).toString('base64')}`,
        WORKER_CONCURRENCY: String(CONCURRENCY),
        LOG_LEVEL: 'warn',
        NODE_ENV: 'development',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtpPort),
      },
    }),
  );
}

/** Records per second with `workers` worker processes, once every one of them has started. */
async function recordsPerSecond(adminUrl: string, testkitUrl: string, workers: number): Promise<number> {
  const bench = await benchDatabase(adminUrl);
  const processes = startWorkers(workers, bench.db.url, testkitUrl);
  try {
    await until(async () => {
      for (const p of processes) {
        if (p.child.exitCode !== null) throw new Error(`${p.name} exited:\n${p.output()}`);
      }
      const { rows } = await bench.pool.query<{ n: number }>('select count(*)::int as n from worker_nodes');
      return (rows[0]?.n ?? 0) >= workers;
    }, 60_000);
    const started = performance.now();
    await bench.place('throughput', RECORDS);
    await until(async () => (await bench.completed()) >= RECORDS, 600_000, 100);
    return RECORDS / ((performance.now() - started) / 1000);
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await bench.pool.end();
    await bench.db.drop();
  }
}

/** Enqueue-to-completed latency of records arriving evenly, one worker process. */
async function latency(adminUrl: string, testkitUrl: string): Promise<number[]> {
  const bench = await benchDatabase(adminUrl);
  const [worker] = startWorkers(1, bench.db.url, testkitUrl);
  try {
    await until(async () => {
      const { rows } = await bench.pool.query<{ n: number }>('select count(*)::int as n from worker_nodes');
      return (rows[0]?.n ?? 0) >= 1;
    }, 60_000);
    const gapMs = 1000 / LATENCY_RATE_PER_S;
    const count = LATENCY_RATE_PER_S * LATENCY_SECONDS;
    const start = performance.now();
    for (let n = 0; n < count; n++) {
      const due = start + n * gapMs;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      await bench.place(`latency${n}`, 1);
    }
    await until(async () => {
      const { rows } = await bench.pool.query<{ n: number }>(
        `select count(*)::int as n from fulfillment_records where status = 'completed'`,
      );
      return (rows[0]?.n ?? 0) >= count;
    });
    const { rows } = await bench.pool.query<{ ms: number }>(
      'select extract(epoch from (completed_at - created_at)) * 1000 as ms from fulfillment_records',
    );

    return rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
  } finally {
    await worker?.stop();
    await bench.pool.end();
    await bench.db.drop();
  }
}

/** DBOS Transact: the same two POSTs as two durable steps of a workflow, `CONCURRENCY` in flight. */
async function dbosWorkflowsPerSecond(adminUrl: string, testkitUrl: string): Promise<number> {
  const db = await createTestDatabase(adminUrl);
  const post = async (path: string, body: unknown, key: string) => {
    const res = await fetch(`${testkitUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`testkit answered ${res.status}`);
    return (await res.json()) as { id: string };
  };
  const workflow = DBOS.registerWorkflow(
    async (label: string) => {
      const created = await DBOS.runStep(() => post('/v1/resources', { label }, `${label}:create`), { name: 'create' });
      await DBOS.runStep(() => post(`/v1/resources/${created.id}/activate`, {}, `${label}:activate`), {
        name: 'activate',
      });
    },
    { name: 'benchFulfill' },
  );
  DBOS.setConfig({ name: 'handover-bench', systemDatabaseUrl: db.url, logLevel: 'error' });
  await DBOS.launch();
  try {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < RECORDS) {
          const n = next++;
          await workflow(`dbos-${n}`);
        }
      }),
    );
    return RECORDS / ((performance.now() - started) / 1000);
  } finally {
    await DBOS.shutdown();
    await db.drop();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const pg = await startTestPostgres();
  const sandboxPort = await choosePort();
  smtpPort = await choosePort();
  const sandbox = startProcess({
    name: 'sandbox',
    entry: 'apps/sandbox/src/main.ts',
    env: {
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_DNS_PORT: '0',
      SANDBOX_SMTP_PORT: String(smtpPort),
      LOG_LEVEL: 'warn',
    },
  });
  const testkitUrl = `http://127.0.0.1:${sandboxPort}/testkit`;
  try {
    await waitForHttp(`http://127.0.0.1:${sandboxPort}/_control/healthz`, { process: sandbox });
    const noop = await (async () => {
      const db = await createTestDatabase(pg.adminUrl);
      try {
        return await noopJobsPerSecond(db.url);
      } finally {
        await db.drop();
      }
    })();
    // BENCH_ONLY=one: the one-worker figure alone, for profiling (with BENCH_PROFILE).
    if (process.env.BENCH_ONLY === 'one') {
      console.log(`records_per_s: ${(await recordsPerSecond(pg.adminUrl, testkitUrl, 1)).toFixed(1)}`);
      return;
    }
    const one = await recordsPerSecond(pg.adminUrl, testkitUrl, 1);
    const two = await recordsPerSecond(pg.adminUrl, testkitUrl, 2);
    const dbos = await dbosWorkflowsPerSecond(pg.adminUrl, testkitUrl);
    const latencies = await latency(pg.adminUrl, testkitUrl);

    console.log(`graphile_worker_noop_jobs_per_s: ${noop.toFixed(0)}`);
    console.log(
      `records_per_s: ${one.toFixed(1)}  (one worker process, two HTTP steps each, ${CONCURRENCY} in flight)`,
    );
    console.log(`two_workers_per_s: ${two.toFixed(1)}  (${(two / one).toFixed(2)}x one)`);
    console.log(`dbos_per_s: ${dbos.toFixed(1)}  (DBOS Transact, the same two steps, ${CONCURRENCY} in flight)`);
    console.log(`ratio_vs_dbos: ${(one / dbos).toFixed(2)}`);
    console.log(`enqueue_to_completed_p50_ms: ${percentile(latencies, 50).toFixed(1)}`);
    console.log(
      `enqueue_to_completed_p99_ms: ${percentile(latencies, 99).toFixed(1)}  (${LATENCY_RATE_PER_S} records/s for ${LATENCY_SECONDS} s)`,
    );
    console.log(`ratio: ${(one / noop).toFixed(3)}`);
  } finally {
    await sandbox.stop();
    await pg.stop();
  }
}

await main();
