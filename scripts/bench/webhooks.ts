// `pnpm bench:webhooks`: signed Stripe webhooks per second accepted at /webhooks/stripe, each
// creating its order, item, fulfillment record and job, and their p99 latency, beside the
// server's trivial route (GET /livez: no database) and its durable probe (POST /durable-probe:
// one committed row per request, the durable-write limit) measured in the same run, on the same
// server process and pool, started from its production entry. Loopback only; an embedded
// PostgreSQL of its own.
import { randomBytes, randomUUID } from 'node:crypto';
import { openOrm } from '@handover/db';
import { choosePort } from '@handover/db/embedded';
import { createTestDatabase, startTestPostgres } from '@handover/db/testing';
import Stripe from 'stripe';
import { z } from 'zod';
import { type ManagedProcess, startProcess, waitForHttp } from '../lib/processes';
import { type LoadRequest, type LoadResult, runLoad, runRate } from './load';

const settings = z
  .object({
    BENCH_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
    BENCH_SECONDS: z.coerce.number().min(1).max(60).default(10),
    /** The server's own default; `warn` leaves out the two request lines Fastify logs per call. */
    BENCH_LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info']).default('info'),
    BENCH_PENDING_ORDERS: z.coerce.number().int().min(1000).max(200_000).default(25_000),
  })
  .parse(process.env);

const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
const webhookSecret = `whsec_${randomBytes(12).toString('hex')}`;
const processes: ManagedProcess[] = [];

async function main(): Promise<void> {
  console.log('Starting an embedded PostgreSQL and migrating…');
  const postgres = await startTestPostgres();
  try {
    const database = await createTestDatabase(postgres.adminUrl);
    const pending = await seed(database.url, settings.BENCH_PENDING_ORDERS);
    await createProbeTable(database.url);

    const serverPort = await freePort();
    const common = { LOG_LEVEL: settings.BENCH_LOG_LEVEL, NODE_ENV: 'production' };
    const server = launch('server', 'apps/server/src/main.ts', {
      ...common,
      PORT: String(serverPort),
      DATABASE_URL: database.url,
      DURABLE_PROBE: '1',
      HANDOVER_ENCRYPTION_KEYS: `bench=${randomBytes(32).toString('base64')}`,
      PUBLIC_URL: `http://127.0.0.1:${serverPort}`,
      STRIPE_SECRET_KEY: secretKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      // Never called: the bench only sends webhooks.
      STRIPE_API_URL: 'http://127.0.0.1:9',
      PLUGSAAS_API_URL: 'http://127.0.0.1:9/plugsaas',
      PLUGSAAS_API_KEY: randomBytes(16).toString('hex'),
      AT_ISHARE_API_URL: 'http://127.0.0.1:9/at-ishare',
      AT_ISHARE_API_KEY: randomBytes(16).toString('hex'),
      ESIMACCESS_API_URL: 'http://127.0.0.1:9/esimaccess',
      ESIMACCESS_ACCESS_CODE: 'not-used-in-the-bench',
      ESIMACCESS_SECRET_KEY: 'not-used-in-the-bench',
      // Required by the saas-singletenant, license and download drivers; never reached here.
      INSTANCE_PROVISIONING_API_URL: 'http://127.0.0.1:9/instance-provisioning',
      INSTANCE_PROVISIONING_API_KEY: randomBytes(16).toString('hex'),
      DOWNLOADS_DIR: '/nonexistent/handover-downloads',
      WHMCS_API_URL: 'http://127.0.0.1:9/whmcs',
      WHMCS_API_IDENTIFIER: 'not-used-in-the-bench',
      WHMCS_API_SECRET: 'not-used-in-the-bench',
      WHMCS_CUSTOMER_NUMBER_FIELD_ID: '1',
    });
    const serverUrl = `http://127.0.0.1:${serverPort}`;
    // No worker runs in the bench, so health answers 503 (workers missing) once the server is up.
    await waitForHttp(`${serverUrl}/healthz`, { process: server, ok: (status) => status === 200 || status === 503 });

    const stripe = new Stripe(secretKey);
    let nextPending = 0;
    const webhook = (): LoadRequest | null => {
      const order = pending[nextPending++];
      if (!order) return null;
      const payload = checkoutCompleted(order);
      const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
      return { method: 'POST', path: '/webhooks/stripe', headers: { 'stripe-signature': signature }, body: payload };
    };
    // Signed before timing starts, so the client spends the measured time sending.
    const signed = Array.from({ length: pending.length }, webhook).filter((r): r is LoadRequest => r !== null);
    let sent = 0;
    const nextWebhook = () => signed[sent++] ?? null;
    const nextTrivial = (): LoadRequest => ({ method: 'GET', path: '/livez', headers: {}, body: '' });
    // The same body a webhook carries, so both routes read as much.
    const nextDurable = (): LoadRequest => ({
      method: 'POST',
      path: '/durable-probe',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: randomUUID(), event: JSON.parse(signed[0]?.body ?? '{}') }),
    });

    const { BENCH_CONCURRENCY: concurrency, BENCH_SECONDS: seconds } = settings;
    console.log(`Warming up, then ${seconds} s per route at ${concurrency} concurrent connections…`);
    await runLoad({ base: serverUrl, concurrency, seconds: 2, next: nextTrivial });
    await runLoad({ base: serverUrl, concurrency, seconds: 2, next: nextDurable });
    await runLoad({ base: serverUrl, concurrency, seconds: 2, next: nextWebhook });
    const trivialResult = await runLoad({ base: serverUrl, concurrency, seconds, next: nextTrivial });
    const durableResult = await runLoad({ base: serverUrl, concurrency, seconds, next: nextDurable });
    const webhookResult = await runLoad({ base: serverUrl, concurrency, seconds, next: nextWebhook });
    // The latency a steady load sees: half of what the route took at most, offered evenly.
    const steadyRate = Math.max(1, Math.floor(webhookResult.perSecond / 2));
    const steady = await runRate({
      base: serverUrl,
      perSecond: steadyRate,
      seconds,
      connections: 64,
      next: nextWebhook,
    });
    if (sent >= signed.length) console.warn('ran out of pending orders: raise BENCH_PENDING_ORDERS');

    const check = await verify(database.url);
    print('trivial  GET  /livez          ', 'req/s     ', trivialResult);
    print('durable  POST /durable-probe  ', 'commits/s ', durableResult);
    print('webhooks POST /webhooks/stripe', 'accepted/s', webhookResult);
    print(`webhooks at a steady ${String(steadyRate).padStart(4)}/s  `, 'accepted/s', steady);
    console.log(
      `check: ${sent} webhooks sent (warm-up included): ${check.orders} orders, ${check.jobs} fulfill jobs, ${check.processed} processed inbox rows`,
    );
    console.log(
      `setup: loopback, closed loops of ${concurrency} connections, the steady load offered open loop; server LOG_LEVEL=${settings.BENCH_LOG_LEVEL}; PostgreSQL with fsync=off`,
    );
    console.log(`ratio_vs_durable: ${(webhookResult.perSecond / durableResult.perSecond).toFixed(3)}`);
    console.log(`steady_p99_ms: ${steady.p99Ms.toFixed(1)}`);
    console.log(`ratio: ${(webhookResult.perSecond / trivialResult.perSecond).toFixed(3)}`);
    await database.drop().catch(() => {});
  } finally {
    await Promise.allSettled(processes.map((p) => p.stop('SIGTERM', 5_000)));
    await postgres.stop();
  }
}

function launch(name: string, entry: string, env: Record<string, string>): ManagedProcess {
  // BENCH_PROFILE=<dir>: a CPU profile of the server, to see where its time goes.
  const profile = process.env.BENCH_PROFILE;
  const proc = startProcess({
    name,
    entry,
    env,
    nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
  });
  processes.push(proc);
  return proc;
}

const freePort = () => choosePort(0);

/** One product (the manual driver every deployment runs) and `count` checkouts waiting for payment. */
async function seed(url: string, count: number): Promise<{ id: string; amountMinor: number }[]> {
  const orm = await openOrm({ url, poolMax: 2 });
  try {
    const em = orm.em.fork();
    const productId = randomUUID();
    await em.execute(
      `insert into products (id, slug, name, price_minor, currency, delivery_model, fulfillment_driver,
         fulfillment_config, enabled_payment_gateways, default_payment_gateway)
       values (?, 'bench-setup', 'Managed setup', 1500, 'USD', 'managed_setup', 'manual', ?::jsonb, '["stripe"]', 'stripe')`,
      [productId, JSON.stringify({ queue: 'ops', slaHours: 4, instructions: 'Set it up.' })],
    );
    const items = [
      { productId, productName: 'Managed setup', quantity: 1, unitPriceMinor: 1500, input: { notes: 'bench' } },
    ];
    return em.execute<{ id: string; amountMinor: number }[]>(
      `insert into pending_orders (id, email, items, amount_minor, currency, payment_gateway, expires_at)
       select gen_random_uuid(), 'bench-' || g || '@example.com', ?::jsonb, 1500, 'USD', 'stripe', now() + interval '1 hour'
         from generate_series(1, ?) as g
       returning id, amount_minor as "amountMinor"`,
      [JSON.stringify(items), count],
    );
  } finally {
    await orm.close();
  }
}

/** The durable probe's table: the server never makes it, so it exists only where a bench turned the probe on. */
async function createProbeTable(url: string): Promise<void> {
  const orm = await openOrm({ url, poolMax: 1 });
  try {
    await orm.em
      .fork()
      .execute(
        'create table durable_probe_writes (id uuid primary key, body jsonb not null, created_at timestamptz not null default now())',
      );
  } finally {
    await orm.close();
  }
}

/** Stripe's checkout.session.completed for one pending order. */
function checkoutCompleted(order: { id: string; amountMinor: number }): string {
  return JSON.stringify({
    id: `evt_${randomUUID().replaceAll('-', '')}`,
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: `cs_test_${order.id.replaceAll('-', '')}`,
        object: 'checkout.session',
        mode: 'payment',
        metadata: { pending_order_id: order.id },
        client_reference_id: order.id,
        payment_status: 'paid',
        payment_intent: `pi_${randomUUID().replaceAll('-', '')}`,
        subscription: null,
        invoice: null,
        customer: null,
        amount_total: order.amountMinor,
        currency: 'usd',
      },
    },
  });
}

/** What the webhooks left: an order and a job per accepted event, nothing more. */
async function verify(url: string) {
  const orm = await openOrm({ url, poolMax: 1 });
  try {
    const [row] = await orm.em.fork().execute<{ orders: number; jobs: number; processed: number }[]>(
      `select (select count(*) from orders)::int as orders,
              (select count(*) from graphile_worker._private_jobs j join graphile_worker._private_tasks t
                 on t.id = j.task_id where t.identifier = 'fulfill')::int as jobs,
              (select count(*) from payment_events where status = 'processed')::int as processed`,
    );
    return row ?? { orders: 0, jobs: 0, processed: 0 };
  } finally {
    await orm.close();
  }
}

function print(label: string, unit: string, result: LoadResult): void {
  console.log(
    `${label}  ${result.perSecond.toFixed(0).padStart(6)} ${unit}  p50 ${result.p50Ms.toFixed(1)} ms  p99 ${result.p99Ms.toFixed(1)} ms  (${result.requests} requests, ${result.failed} not 2xx)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
