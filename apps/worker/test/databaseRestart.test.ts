import { DriverRegistry, parseEncryptionKeys, SecretBox } from '@handover/core';
import { type Orm, openOrm } from '@handover/db';
import { type RestartablePostgres, startRestartablePostgres } from '@handover/db/testing';
import { buildDrivers } from '@handover/integrations';
import { type Stack, startStack } from '@handover/scripts/stack';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, stockPool, until } from './support/fixtures';
import { createM365DomainProduct, m365OrderForm } from './support/m365';

/**
 * The worker once exited (code 1) when PostgreSQL restarted, and records waited until a
 * person started it again. Here the real server and worker run against a PostgreSQL of the
 * test's own, which is stopped (a fast shutdown: every session ended) and started again twice
 * while Microsoft 365 records are being delivered and cheap jobs keep completing.
 */
describe('a PostgreSQL restart under the real server and worker', () => {
  let database: RestartablePostgres;
  let stack: Stack;
  let orm: Orm;
  let feeder: pg.Pool;
  let feeding = true;
  let feeding$: Promise<void> = Promise.resolve();

  const em = () => orm.em.fork();
  const status = async (url: string) => {
    try {
      return (await fetch(url, { signal: AbortSignal.timeout(5_000) })).status;
    } catch {
      return 0;
    }
  };
  const alive = () => {
    for (const name of ['server', 'worker']) {
      const proc = stack.process(name);
      expect(proc?.child.exitCode, `${name} exited:\n${stack.output()}`).toBeNull();
    }
  };

  beforeAll(async () => {
    database = await startRestartablePostgres();
    orm = await openOrm({ url: database.url, poolMax: 4 });
    stack = await startStack({
      databaseUrl: database.url,
      workerEnv: { WORKER_HEARTBEAT_MS: '300', WORKER_STALE_AFTER_MS: '3000', FULFILLMENT_LEASE_MS: '5000' },
    });
    await stack.startServer();
    await stack.startWorker();
    // Cheap jobs all the time, so that marking jobs done meets the restart.
    feeder = new pg.Pool({ connectionString: database.url, max: 2 });
    feeder.on('error', () => {});
    feeding$ = (async () => {
      while (feeding) {
        await feeder.query(`select graphile_worker.add_job('expire_pending_orders', '{}'::json)`).catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
  });
  afterAll(async () => {
    feeding = false;
    await feeding$;
    await feeder?.end();
    await stack?.stop();
    await orm?.close(true);
    await database?.stop();
  });

  it('answers 503 on both /healthz and to requests while the database is down, comes back by itself, and delivers every record once', async () => {
    const registry = new DriverRegistry(buildDrivers(stack.vendorEnv, 'test'));
    await stockPool(em(), new SecretBox(parseEncryptionKeys(stack.keys.encryptionKeys)), 'microsoft-365', 40);
    const product = await createM365DomainProduct(em(), { slug: 'm365', pool: 'microsoft-365' });
    // Each PlugSaaS call takes a while, so that records are mid-step when the database goes.
    await fetch(`${stack.sandboxUrl}/_control/faults/plugsaas`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 150 }),
    });
    const place = (round: number) =>
      placeOrder(em(), registry, product, [
        m365OrderForm(
          Array.from({ length: 5 }, (_, i) => `round${round}-${i}.example`),
          `c${round}@example.com`,
        ),
      ]);
    const serverHealth = `${stack.serverUrl}/healthz`;
    const workerHealth = `${stack.workerOpsUrl('worker')}/healthz`;
    await until(async () => (await status(serverHealth)) === 200 && (await status(workerHealth)) === 200, {
      what: 'both healthy',
    });

    for (const round of [1, 2]) {
      await place(round);
      await new Promise((resolve) => setTimeout(resolve, 400));
      await database.halt();
      await until(async () => (await status(serverHealth)) === 503, { what: 'the server reporting the outage' });
      await until(async () => (await status(workerHealth)) === 503, { what: 'the worker reporting the outage' }).catch(
        (error) => {
          throw new Error(`${(error as Error).message}\n${stack.output()}`);
        },
      );
      // A request that needs the database meanwhile: 503 and when to try again, not a 500.
      const away = await fetch(`${stack.serverUrl}/exports/orders.csv`, {
        headers: { authorization: `Bearer hov_pat_${'a'.repeat(43)}` },
      });
      expect([away.status, away.headers.get('retry-after'), ((await away.json()) as { error: string }).error]).toEqual([
        503,
        '5',
        'unavailable',
      ]);
      const catalog = await fetch(`${stack.serverUrl}/trpc/catalog.list`);
      expect([catalog.status, catalog.headers.get('retry-after')]).toEqual([503, '5']);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      alive();
      await database.resume();
      await until(async () => (await status(serverHealth)) === 200 && (await status(workerHealth)) === 200, {
        timeoutMs: 45_000,
        what: `both healthy again after restart ${round}`,
      });
      alive();
    }
    await place(3);

    const delivered = await until(
      async () => {
        const [row] = await em().execute<{ total: number; completed: number }[]>(
          `select count(*)::int as total, count(*) filter (where status = 'completed')::int as completed
             from fulfillment_records`,
        );
        return row?.total === 15 && row.completed === 15 && row;
      },
      { timeoutMs: 60_000, what: 'all 15 records completed' },
    ).catch(async (error) => {
      throw new Error(`${(error as Error).message}\n${stack.output()}`);
    });
    expect(delivered.completed).toBe(15);
    alive();

    // One PlugSaaS order per record, each account given once.
    const orders = (await (await fetch(`${stack.sandboxUrl}/_control/plugsaas/orders`)).json()) as {
      orders: { idempotencyKey: string; microsoftEmail: string }[];
    };
    expect(orders.orders).toHaveLength(15);
    expect(new Set(orders.orders.map((o) => o.idempotencyKey)).size).toBe(15);
    expect(new Set(orders.orders.map((o) => o.microsoftEmail)).size).toBe(15);
    // Nothing is left locked, and the queue drains.
    feeding = false;
    await feeding$;
    await until(
      async () => {
        const [row] = await em().execute<{ left: number }[]>(
          `select count(*)::int as left from graphile_worker._private_jobs where task_id in
             (select id from graphile_worker._private_tasks where identifier in ('fulfill', 'expire_pending_orders'))`,
        );
        return row?.left === 0;
      },
      { what: 'the queue drained' },
    );
  });
});
