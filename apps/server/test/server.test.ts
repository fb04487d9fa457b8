import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { AppRouter } from '@handover/api';
import { beatWorkerNode, DriverRegistry, systemClock } from '@handover/core';
import { Product } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { manualAdapter } from '@handover/integrations';
import { startProcess } from '@handover/scripts/processes';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { FastifyInstance } from 'fastify';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/app';
import { loadServerConfig } from '../src/config';
import { DURABLE_PROBE_TABLE } from '../src/http/durableProbe';

const keys = `k1=${randomBytes(32).toString('base64')}`;

describe('server', () => {
  const db = useTestDatabase();
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    const config = loadServerConfig({ DATABASE_URL: db.url, HANDOVER_ENCRYPTION_KEYS: keys, LOG_LEVEL: 'silent' });
    app = await buildServer({ config, orm: db.orm, clock: systemClock, registry: new DriverRegistry([manualAdapter]) });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app?.close());

  it('answers /livez without the database, for a liveness probe', async () => {
    const live = await fetch(`${base}/livez`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ ok: true });
  });

  it('serves no durable probe unless DURABLE_PROBE turns it on', async () => {
    const probe = await fetch(`${base}/durable-probe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: randomUUID() }),
    });
    expect(probe.status).toBe(404);
  });

  it('commits one row per call to the durable probe when it is on, and refuses a body without an id', async () => {
    const config = loadServerConfig({
      DATABASE_URL: db.url,
      HANDOVER_ENCRYPTION_KEYS: keys,
      LOG_LEVEL: 'silent',
      DURABLE_PROBE: '1',
    });
    const probing = await buildServer({ config, orm: db.orm, clock: systemClock, registry: new DriverRegistry([]) });
    await db.orm.em
      .fork()
      .execute(`create table if not exists ${DURABLE_PROBE_TABLE} (id uuid primary key, body jsonb not null)`);
    try {
      await probing.listen({ host: '127.0.0.1', port: 0 });
      const url = `http://127.0.0.1:${(probing.server.address() as AddressInfo).port}/durable-probe`;
      const post = (body: unknown) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const id = randomUUID();
      expect((await post({ id, event: { type: 'x' } })).status).toBe(204);
      const refused = await post({ event: 'no id' });
      expect(refused.status).toBe(400);
      // Every error answer carries the request id its log lines have.
      expect(await refused.json()).toEqual({
        error: 'a JSON object with a uuid `id` is required',
        requestId: expect.any(String),
      });
      const rows = await db.orm.em.fork().execute(`select id, body from ${DURABLE_PROBE_TABLE}`);
      expect(rows).toEqual([{ id, body: { id, event: { type: 'x' } } }]);
    } finally {
      await probing.close();
      await db.orm.em.fork().execute(`drop table ${DURABLE_PROBE_TABLE}`);
    }
  });

  it('reports 503 on /healthz while no worker process is alive, 200 once one beats', async () => {
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, database: { ok: true }, worker: { ok: false } });

    await beatWorkerNode(db.orm.em.fork(), { id: 'node-a', hostname: 'test', pid: 1, workerIds: [] }, systemClock);
    const up = await fetch(`${base}/healthz`);
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ ok: true, worker: { ok: true, liveProcesses: 1 } });
  });

  it('serves the active, deliverable catalog over tRPC, without fulfillment config', async () => {
    const em = db.orm.em.fork();
    em.create(Product, {
      slug: 'visible',
      name: 'Visible',
      priceMinor: 1000,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'ops', secretish: 'never shown' },
    });
    em.create(Product, {
      slug: 'hidden',
      name: 'Hidden',
      priceMinor: 1000,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      isActive: false,
    });
    em.create(Product, {
      slug: 'no-driver-here',
      name: 'Undeliverable',
      priceMinor: 1000,
      currency: 'USD',
      deliveryModel: 'data_bundle',
      fulfillmentDriver: 'data-bundle',
    });
    await em.flush();

    const client = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${base}/trpc`, transformer: superjson })],
    });
    const products = await client.catalog.list.query();
    expect(products.map((p) => p.slug)).toEqual(['visible']);
    expect(JSON.stringify(products)).not.toContain('never shown');
  });

  it('answers a batch of calls whose procedure names together run past a hundred characters', async () => {
    const client = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${base}/trpc`, transformer: superjson })],
    });
    // One request: `catalog.list,catalog.list,...` ten times, 129 characters.
    const answers = await Promise.all(Array.from({ length: 10 }, () => client.catalog.list.query()));
    expect(answers).toHaveLength(10);
  });

  it('exits non-zero at start, naming each missing or bad variable', async () => {
    const proc = startProcess({
      name: 'server',
      entry: 'apps/server/src/main.ts',
      env: { DATABASE_URL: 'http://not-postgres', PORT: 'eighty', HANDOVER_ENCRYPTION_KEYS: undefined },
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('server: invalid configuration');
    expect(proc.output()).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(proc.output()).toContain('PORT:');
    expect(proc.output()).toContain('HANDOVER_ENCRYPTION_KEYS is required');
  });
});
