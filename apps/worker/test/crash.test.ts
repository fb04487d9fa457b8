import { DriverRegistry, parseEncryptionKeys, SecretBox } from '@handover/core';
import { FulfillmentLog, FulfillmentRecord, InventoryItem } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { createTestkitAdapter, TestkitClient } from '@handover/integrations';
import type { ManagedProcess } from '@handover/scripts/processes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { announceRestock, createTestkitProduct, placeOrder, stockPool, until } from './support/fixtures';
import { testKeys } from './support/inProcessWorker';
import { startTestSandbox, type TestSandbox } from './support/sandbox';
import { startWorkerProcess } from './support/workerProcess';

interface CallCounts {
  testkit?: { endpoints: Record<string, number> };
}

describe('fulfillment across real worker processes', () => {
  const db = useTestDatabase({ poolMax: 10 });
  let sandbox: TestSandbox;
  let registry: DriverRegistry;
  const workers: ManagedProcess[] = [];
  const box = new SecretBox(parseEncryptionKeys(testKeys));
  const em = () => db.orm.em.fork();
  const start = (name: string) => {
    const worker = startWorkerProcess(db.url, sandbox.testkitUrl, name);
    workers.push(worker);
    return worker;
  };
  const calls = async (endpoint: string) => {
    const res = await fetch(`${sandbox.url}/_control/calls?emulator=testkit`);
    return ((await res.json()) as CallCounts).testkit?.endpoints[endpoint] ?? 0;
  };
  const successfulSteps = async (recordId: string) =>
    (await em().find(FulfillmentLog, { record: recordId, kind: 'attempt', status: 'success' }))
      .map((l) => l.step)
      .sort();

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    registry = new DriverRegistry([createTestkitAdapter(new TestkitClient({ baseUrl: sandbox.testkitUrl }))]);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop('SIGTERM', 10_000)));
    await sandbox.reset();
  });
  afterAll(() => sandbox?.close());

  it('finishes a record whose worker was killed inside a provider call, creating it once', async () => {
    const product = await createTestkitProduct(em(), { slug: 'killed-inside' });
    await sandbox.setFault('testkit', { latencyMs: 1500, pathIncludes: '/v1/resources' });
    const first = start('worker-1');
    const { records } = await placeOrder(em(), registry, product, [{ label: 'inside' }]);
    const id = records[0]?.id ?? '';
    await until(async () => (await calls('POST /testkit/v1/resources')) >= 1, { what: 'the create call' });
    await first.kill();
    await sandbox.clearFault('testkit');

    start('worker-2');
    await until(async () => (await em().findOneOrFail(FulfillmentRecord, { id })).status === 'completed', {
      what: 'completion after the crash',
    });
    const stats = await sandbox.testkitStats();
    expect(stats.creations).toEqual({ [`${id}:create`]: 1 });
    expect(await calls('POST /testkit/v1/resources')).toBe(2);
    expect(await successfulSteps(id)).toEqual(['activate', 'await_ready', 'create', 'reserve', 'review']);
  });

  it('resumes after the last done step when the worker is killed between steps', async () => {
    const product = await createTestkitProduct(em(), { slug: 'killed-between' });
    // The worker is held in await_ready, after create is journalled done.
    await sandbox.setFault('testkit', { latencyMs: 1500, pathIncludes: '/v1/resources/res_' });
    const first = start('worker-1');
    const { records } = await placeOrder(em(), registry, product, [{ label: 'between' }]);
    const id = records[0]?.id ?? '';
    await until(async () => (await calls('GET /testkit/v1/resources/:id')) >= 1, { what: 'the status check' });
    expect(await successfulSteps(id)).toEqual(['create', 'reserve']);
    await first.kill();
    await sandbox.clearFault('testkit');

    start('worker-2');
    await until(async () => (await em().findOneOrFail(FulfillmentRecord, { id })).status === 'completed', {
      what: 'completion after the crash',
    });
    expect(await calls('POST /testkit/v1/resources')).toBe(1);
    expect(await successfulSteps(id)).toEqual(['activate', 'await_ready', 'create', 'reserve', 'review']);
  });

  it('gives 100 accounts to 100 of 200 racing records across two workers, never one record twice, and the rest after a restock', async () => {
    await stockPool(em(), box, 'race-pool', 100);
    const product = await createTestkitProduct(em(), { slug: 'race', config: { inventoryPool: 'race-pool' } });
    const orders = await Promise.all(
      Array.from({ length: 20 }, (_, o) =>
        placeOrder(
          em(),
          registry,
          product,
          Array.from({ length: 10 }, (_, i) => ({ label: `race-${o}-${i}` })),
          { email: `c${o}@example.com` },
        ),
      ),
    );
    const ids = orders.flatMap((o) => o.records.map((r) => r.id));
    // A second job per record without a key: both workers will try to run the same records at once.
    for (const id of ids) {
      await em().execute(`select graphile_worker.add_job('fulfill', json_build_object('recordId', ?::text))`, [id]);
    }
    start('worker-a');
    start('worker-b');

    const statusCounts = async () => {
      const rows = await em().execute<{ status: string; n: number }[]>(
        `select status, count(*)::int as n from fulfillment_records where id in (select jsonb_array_elements_text(?::jsonb)::uuid) group by status`,
        [JSON.stringify(ids)],
      );
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    };
    await until(
      async () => {
        const counts = await statusCounts();
        return counts.completed === 100 && counts.awaiting_inventory === 100;
      },
      { timeoutMs: 90_000, what: '100 completed and 100 waiting for stock' },
    );

    const assigned = await em().find(InventoryItem, { pool: { slug: 'race-pool' }, status: 'assigned' });
    expect(assigned).toHaveLength(100);
    expect(new Set(assigned.map((item) => item.record?.id)).size).toBe(100);

    await stockPool(em(), box, 'race-pool', 100, 101);
    await announceRestock(em(), 'race-pool');
    await until(async () => (await statusCounts()).completed === 200, { timeoutMs: 90_000, what: 'all 200 completed' });

    expect(await em().count(InventoryItem, { pool: { slug: 'race-pool' }, status: 'assigned' })).toBe(200);
    const stats = await sandbox.testkitStats();
    expect(Object.keys(stats.creations)).toHaveLength(200);
    expect(Object.values(stats.creations).every((n) => n === 1)).toBe(true);
    expect(Object.values(stats.activations).every((n) => n === 1)).toBe(true);
    const [doubled] = await em().execute<{ n: number }[]>(
      `select count(*)::int as n from (
         select record_id, step from fulfillment_logs where kind = 'attempt' and status = 'success'
         group by record_id, step having count(*) > 1) d`,
    );
    expect(doubled?.n).toBe(0);
  });
});
