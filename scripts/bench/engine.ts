// `pnpm bench:engine`: the fulfillment engine's throughput against bare graphile-worker.
//
// 1. Baseline: no-op graphile-worker jobs per second, with the worker settings the engine uses.
// 2. Records fulfilled per second through a two-step driver (create, activate) that calls the
//    sandbox over HTTP with no added latency; the sandbox runs in its own process.
// 3. Latency: records arriving at a steady rate, time from enqueue to completed (p50, p99).

import { randomBytes } from 'node:crypto';
import {
  createFulfillmentRecords,
  DEFAULT_RECONCILE_SETTINGS,
  DriverRegistry,
  generateOrderCode,
  parseEncryptionKeys,
  SecretBox,
  systemClock,
} from '@handover/core';
import { FulfillmentRecord, Order, OrderItem, type Orm, openOrm, Product, User } from '@handover/db';
import { choosePort } from '@handover/db/embedded';
import { createTestDatabase, startTestPostgres } from '@handover/db/testing';
import { createNameserverResolver, createTestkitAdapter, TestkitClient } from '@handover/integrations';
import { buildTaskList, createEnginePool, createNodeId, loadWorkerConfig, startWorker } from '@handover/worker';
import { Logger, run } from 'graphile-worker';
import pino from 'pino';
import { startProcess, waitForHttp } from '../lib/processes';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 5);
const BASELINE_JOBS = 5000;
const RECORDS = 1000;
const LATENCY_RATE_PER_S = 40;
const LATENCY_SECONDS = 10;

const silent = new Logger(() => () => {});
const keys = `bench=${randomBytes(32).toString('base64')}`;

async function until(probe: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('bench did not finish in time');
}

async function baseline(url: string, orm: Orm): Promise<number> {
  const em = orm.em.fork();
  await em.execute(
    `select graphile_worker.add_jobs(array(select row('noop', '{}'::json, null, null, null, null, null, null)::graphile_worker.job_spec from generate_series(1, ?)))`,
    [BASELINE_JOBS],
  );
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

async function placeRecords(orm: Orm, registry: DriverRegistry, product: Product, count: number, label: string) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    await orm.em.fork().transactional(async (em) => {
      const managed = await em.findOneOrFail(Product, { id: product.id });
      const email = `bench-${label}-${i}@example.com`;
      const user = em.create(User, { email });
      const order = em.create(Order, {
        orderCode: generateOrderCode(),
        user,
        email,
        amountMinor: 100,
        currency: 'USD',
        paidAt: new Date(),
      });
      const item = em.create(OrderItem, {
        order,
        product: managed,
        productName: managed.name,
        driver: managed.fulfillmentDriver,
        unitPriceMinor: 100,
        currency: 'USD',
        input: { label: `${label}-${i}` },
      });
      const [record] = await createFulfillmentRecords(em, registry, order, [{ item, product: managed }], {
        start: true,
      });
      if (record) ids.push(record.id);
    });
  }
  return ids;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const pg = await startTestPostgres();
  const sandboxPort = await choosePort();
  const sandbox = startProcess({
    name: 'sandbox',
    entry: 'apps/sandbox/src/main.ts',
    env: { SANDBOX_PORT: String(sandboxPort), SANDBOX_DNS_PORT: '0', SANDBOX_SMTP_PORT: '0', LOG_LEVEL: 'warn' },
  });
  try {
    await waitForHttp(`http://127.0.0.1:${sandboxPort}/_control/healthz`, { process: sandbox });

    const baseDb = await createTestDatabase(pg.adminUrl);
    const baseOrm = await openOrm({ url: baseDb.url, poolMax: CONCURRENCY + 2 });
    const noopPerSecond = await baseline(baseDb.url, baseOrm);
    await baseOrm.close();

    const db = await createTestDatabase(pg.adminUrl);
    const orm = await openOrm({ url: db.url, poolMax: CONCURRENCY + 4 });
    const client = new TestkitClient({ baseUrl: `http://127.0.0.1:${sandboxPort}/testkit` });
    const registry = new DriverRegistry([createTestkitAdapter(client, { steps: ['create', 'activate'] })]);
    const setup = orm.em.fork();
    const product = setup.create(Product, {
      slug: 'bench',
      name: 'Bench',
      priceMinor: 100,
      currency: 'USD',
      deliveryModel: 'saas_singletenant',
      fulfillmentDriver: 'testkit',
      fulfillmentConfig: {},
    });
    await setup.flush();

    const ids = await placeRecords(orm, registry, product, RECORDS, 'throughput');
    const config = loadWorkerConfig({
      DATABASE_URL: db.url,
      HANDOVER_ENCRYPTION_KEYS: keys,
      WORKER_CONCURRENCY: String(CONCURRENCY),
      LOG_LEVEL: 'silent',
    });
    const logger = pino({ level: 'silent' });
    const nodeId = createNodeId();
    const enginePool = createEnginePool(db.url, CONCURRENCY + 1, logger);
    const engine = {
      em: orm.em,
      pool: enginePool,
      registry,
      clock: systemClock,
      services: { secrets: new SecretBox(parseEncryptionKeys(keys)) },
      nodeId,
      portalUrl: 'http://localhost',
      logger,
    };
    const completed = () => orm.em.fork().count(FulfillmentRecord, { status: 'completed' });
    const started = performance.now();
    const worker = await startWorker({
      nodeId,
      config,
      orm,
      clock: systemClock,
      logger,
      taskList: buildTaskList({
        engine,
        logger,
        orm,
        clock: systemClock,
        senders: {},
        // No texts in the bench.
        sms: null,
        reconcile: DEFAULT_RECONCILE_SETTINGS,
        // The task list is the production one; the bench enqueues no DNS checks and no payments.
        payments: { em: orm.em, gateways: {}, registry, clock: systemClock, logger },
        dns: {
          em: orm.em,
          resolver: createNameserverResolver({
            kind: 'doh',
            url: `http://127.0.0.1:${sandboxPort}/dns`,
            timeoutMs: 5000,
          }),
          clock: systemClock,
          portalUrl: 'http://localhost',
          alertAfterDays: 3,
        },
      }),
      cronItems: [],
    });
    await until(async () => (await completed()) >= ids.length);
    const recordsPerSecond = ids.length / ((performance.now() - started) / 1000);

    // The completion emails of the throughput phase are jobs too: let the queue drain first.
    await until(async () => {
      const [row] = await orm.em
        .fork()
        .execute<{ n: number }[]>('select count(*)::int as n from graphile_worker._private_jobs');
      return row?.n === 0;
    });

    // Steady arrivals while the worker runs, evenly spaced: enqueue-to-completed latency.
    const arrivals: string[] = [];
    const gapMs = 1000 / LATENCY_RATE_PER_S;
    const steadyStart = performance.now();
    for (let n = 0; n < LATENCY_RATE_PER_S * LATENCY_SECONDS; n++) {
      const due = steadyStart + n * gapMs;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      arrivals.push(...(await placeRecords(orm, registry, product, 1, `latency-${n}`)));
    }
    await until(async () => (await completed()) >= ids.length + arrivals.length);
    const rows = await orm.em.fork().execute<{ ms: number }[]>(
      `select extract(epoch from (completed_at - created_at)) * 1000 as ms from fulfillment_records
          where id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
      [JSON.stringify(arrivals)],
    );
    const latencies = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
    await worker.stop();
    await enginePool.end();
    await orm.close();

    console.log(`graphile_worker_noop_jobs_per_s: ${noopPerSecond.toFixed(0)}`);
    console.log(
      `records_fulfilled_per_s: ${recordsPerSecond.toFixed(1)}  (two HTTP steps each, concurrency ${CONCURRENCY})`,
    );
    console.log(`enqueue_to_completed_p50_ms: ${percentile(latencies, 50).toFixed(1)}`);
    console.log(
      `enqueue_to_completed_p99_ms: ${percentile(latencies, 99).toFixed(1)}  (${LATENCY_RATE_PER_S} records/s for ${LATENCY_SECONDS} s)`,
    );
    console.log(`ratio: ${(recordsPerSecond / noopPerSecond).toFixed(3)}`);
  } finally {
    await sandbox.stop();
    await pg.stop();
  }
}

await main();
