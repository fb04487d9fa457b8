// `pnpm bench:queries`: the back office's list and dashboard queries at 1,000,000 fulfillment
// logs and 200,000 orders, through the same core functions the API calls: first pages of 25,
// each query run with varied values, its p95 printed, and last `p95_ms:` the worst of them.
// An embedded PostgreSQL of its own, filled by the db:scale filler.
import { getDashboard, listFulfillmentLogs, listOrders, listTotals } from '@handover/core';
import { openOrm } from '@handover/db';
import { createTestDatabase, startTestPostgres } from '@handover/db/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { fillScaleData } from '../lib/scaleData';

const settings = z
  .object({
    BENCH_LOGS: z.coerce.number().int().min(1000).max(50_000_000).default(1_000_000),
    BENCH_ORDERS: z.coerce.number().int().min(1000).max(10_000_000).default(200_000),
    BENCH_RUNS: z.coerce.number().int().min(5).max(1000).default(40),
  })
  .parse(process.env);

const END = new Date('2026-11-21T00:00:00Z');
const DAY = 86_400_000;
const page = { limit: 25, order: 'desc' as const };

type Query = (em: EntityManager, run: number) => Promise<unknown>;

const customers = Math.ceil(settings.BENCH_ORDERS / 20);
const someCustomer = (run: number) => ((run * 7919) % customers) + 1;

const QUERIES: Record<string, Query> = {
  'logs by status + date range': (em, run) =>
    listFulfillmentLogs(
      em,
      {
        status: 'failed',
        createdFrom: new Date(END.getTime() - (7 + run) * DAY),
        createdTo: new Date(END.getTime() - run * DAY),
      },
      page,
    ),
  'logs by driver': (em, run) =>
    listFulfillmentLogs(em, { driver: ['data-bundle', 'm365-domain', 'manual', 'license-download'][run % 4] }, page),
  'logs by network': (em) => listFulfillmentLogs(em, { network: 'AT-iShare' }, page),
  'logs by phone': (em, run) =>
    listFulfillmentLogs(em, { phoneNumber: String(someCustomer(run)).padStart(8, '0') }, page),
  'logs by error text': (em, run) =>
    listFulfillmentLogs(em, { error: ['unavailable', 'Insufficient balance', 'timeout', 'registrar'][run % 4] }, page),
  'orders by email': (em, run) => listOrders(em, { q: `customer-${someCustomer(run)}@example` }, page),
  'orders by domain': (em, run) => listOrders(em, { q: `shop${(run * 997) % 50000}.example.com` }, page),
  'orders by order code': (em, run) =>
    listOrders(em, { q: `HO-S${String(((run * 7919) % settings.BENCH_ORDERS) + 1).padStart(8, '0')}` }, page),
  'dashboard counts': (em) => getDashboard(em, END),
  // The totals under the lists: a count capped at LIST_COUNT_CAP, and order sums by currency.
  'totals: orders, no filter': (em) => listTotals(em, 'orders', {}),
  'totals: orders by status': (em, run) =>
    listTotals(em, 'orders', { status: ['paid', 'refunded', 'partially_refunded'][run % 3] }),
  'totals: orders by email': (em, run) => listTotals(em, 'orders', { q: `customer-${someCustomer(run)}@example` }),
  'totals: orders, a week': (em, run) =>
    listTotals(em, 'orders', {
      createdFrom: new Date(END.getTime() - (7 + run) * DAY),
      createdTo: new Date(END.getTime() - run * DAY),
    }),
  'totals: logs by status + week': (em, run) =>
    listTotals(em, 'fulfillment-logs', {
      status: 'failed',
      createdFrom: new Date(END.getTime() - (7 + run) * DAY),
      createdTo: new Date(END.getTime() - run * DAY),
    }),
  'totals: logs, no filter': (em) => listTotals(em, 'fulfillment-logs', {}),
};

async function main(): Promise<void> {
  console.log('Starting an embedded PostgreSQL and migrating…');
  const postgres = await startTestPostgres();
  try {
    const database = await createTestDatabase(postgres.adminUrl);
    const started = performance.now();
    await fillScaleData(database.url, {
      orders: settings.BENCH_ORDERS,
      logs: settings.BENCH_LOGS,
      days: 90,
      end: END,
      onProgress: (message) => process.stdout.write(`\r  filling: ${message}          `),
    });
    console.log(
      `\nfilled ${settings.BENCH_ORDERS} orders and ${settings.BENCH_LOGS} logs in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const orm = await openOrm({ url: database.url, poolMax: 2 });
    let worst = 0;
    try {
      for (const [name, query] of Object.entries(QUERIES)) {
        // Two runs to warm the cache and the plan, not counted.
        for (let run = 0; run < 2; run++) await query(orm.em.fork(), run);
        const times: number[] = [];
        for (let run = 0; run < settings.BENCH_RUNS; run++) {
          const t = performance.now();
          await query(orm.em.fork(), run);
          times.push(performance.now() - t);
        }
        times.sort((a, b) => a - b);
        const p = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? 0;
        worst = Math.max(worst, p(0.95));
        console.log(
          `${name.padEnd(28)} p50 ${p(0.5).toFixed(1).padStart(7)} ms  p95 ${p(0.95).toFixed(1).padStart(7)} ms`,
        );
      }
    } finally {
      await orm.close();
    }
    console.log(
      `setup: ${settings.BENCH_RUNS} runs each after 2 warm-up runs, first pages of 25, one connection at a time; PostgreSQL with fsync=off`,
    );
    console.log(`p95_ms: ${worst.toFixed(1)}`);
    await database.drop().catch(() => {});
  } finally {
    await postgres.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
