import { DriverRegistry } from '@handover/core';
import { InventoryPool, Product } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { createM365DomainAdapter, manualAdapter, PlugsaasClient } from '@handover/integrations';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../worker/test/support/sandbox';
import { createUser, errorOf, manualClock, signedIn, startServer } from './harness';

type Client = Awaited<ReturnType<typeof signedIn>>['api'];

describe('products cannot be saved broken', () => {
  const db = useTestDatabase();
  let sandbox: TestSandbox;
  let app: FastifyInstance;
  let admin: Client;

  const domainProduct = {
    slug: 'm365-domain',
    name: 'Microsoft 365 domain',
    priceMinor: 4900,
    currency: 'USD',
    deliveryModel: 'domain_provisioning' as const,
    fulfillmentDriver: 'm365-domain',
    enabledPaymentGateways: ['sandbox' as const],
    defaultPaymentGateway: 'sandbox' as const,
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    const client = new PlugsaasClient({
      baseUrl: sandbox.plugsaasEnv.PLUGSAAS_API_URL,
      apiKey: sandbox.plugsaasEnv.PLUGSAAS_API_KEY,
    });
    const started = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock: manualClock(new Date('2026-12-01T12:00:00Z')),
      registry: new DriverRegistry([manualAdapter, createM365DomainAdapter(client)]),
    });
    app = started.app;
    await createUser(db.orm, 'admin@example.com', 'admin');
    admin = (await signedIn(started.base, 'admin@example.com')).api;
  });
  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
  });

  it('refuses a Microsoft 365 product whose inventory pool does not exist, naming the field, and saves it once the pool does', async () => {
    const refused = await errorOf(
      admin.backOffice.products.create.mutate({
        ...domainProduct,
        fulfillmentConfig: { inventoryPool: 'no-such-pool' },
      }),
    );
    expect(refused).toMatchObject({ code: 'BAD_REQUEST' });
    expect(refused.fieldErrors).toEqual({
      'fulfillmentConfig.inventoryPool': [
        'There is no inventory pool "no-such-pool". Create it under Inventory pools first, or pick one that exists.',
      ],
    });
    expect(await db.orm.em.fork().count(Product, { slug: domainProduct.slug })).toBe(0);

    const em = db.orm.em.fork();
    em.create(InventoryPool, { slug: 'm365-stock', name: 'Microsoft 365 stock' });
    await em.flush();
    const saved = await admin.backOffice.products.create.mutate({
      ...domainProduct,
      fulfillmentConfig: { inventoryPool: 'm365-stock' },
    });
    expect(saved).toMatchObject({ orderable: true, availability: 'Orderable (shown in the catalog)' });
  });

  it('says a product whose driver is not installed cannot be ordered, rather than "active"', async () => {
    const em = db.orm.em.fork();
    em.create(Product, {
      ...domainProduct,
      slug: 'esim-plan',
      name: 'eSIM plan',
      deliveryModel: 'data_bundle',
      fulfillmentDriver: 'esim',
      fulfillmentConfig: {},
      isActive: true,
    });
    await em.flush();
    const listed = await admin.backOffice.products.list.query({ q: 'esim' });
    expect(listed.map((p) => [p.isActive, p.orderable, p.availability])).toEqual([
      [true, false, 'Not orderable: the esim driver is not installed here'],
    ]);
  });

  it('describes what the Microsoft 365 connection test calls, and it reaches PlugSaaS', async () => {
    const drivers = await admin.backOffice.products.drivers.query();
    expect(drivers.find((d) => d.driver === 'm365-domain')).toMatchObject({
      canTestConnection: true,
      testConnectionCalls: 'PlugSaaS, with the API key in PLUGSAAS_API_KEY',
    });
    expect(drivers.find((d) => d.driver === 'manual')?.testConnectionCalls).toBeNull();
    const before = (await sandbox.calls('plugsaas')).endpoints;
    const result = await admin.backOffice.products.testConnection.mutate({
      driver: 'm365-domain',
      config: { inventoryPool: 'm365-stock' },
    });
    expect(result).toMatchObject({ ok: true, message: expect.stringMatching(/^PlugSaaS at .* accepted the API key/) });
    const after = (await sandbox.calls('plugsaas')).endpoints;
    const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
    expect(total(after)).toBeGreaterThan(total(before));
  });

  it('tells people what to fix in words, not in zod’s terms', async () => {
    const refused = await errorOf(
      admin.backOffice.products.create.mutate({
        ...domainProduct,
        slug: 'x',
        name: '',
        fulfillmentConfig: { inventoryPool: 'm365-stock' },
      }),
    );
    expect(refused.fieldErrors).toMatchObject({
      slug: ['Enter at least 2 characters'],
      name: ['Enter at least 2 characters'],
    });
  });
});
