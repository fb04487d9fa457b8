import type { FulfillmentStatus } from '@handover/contracts';
import { SecretBox } from '@handover/core';
import {
  ActivityLog,
  AdminAlert,
  FulfillmentLog,
  FulfillmentRecord,
  InventoryItem,
  InventoryPool,
  ManualTask,
  Order,
  OrderItem,
  Product,
  User,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, errorOf, manualClock, type signedIn, signedInAsEachRole, startServer } from './harness';

type Client = Awaited<ReturnType<typeof signedIn>>['api'];

describe('back office over HTTP', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-20T12:00:00Z'));
  let app: FastifyInstance;
  let base: string;
  let box: SecretBox;
  let ops: Client;
  let finance: Client;
  let admin: Client;
  let customer: Client;
  let opsId: string;
  let orderCounter = 0;

  beforeAll(async () => {
    const started = await startServer({ orm: db.orm, databaseUrl: db.url, clock });
    app = started.app;
    base = started.base;
    box = new SecretBox(started.config.HANDOVER_ENCRYPTION_KEYS);
    ({ opsId, ops, finance, admin, customer } = await signedInAsEachRole(db.orm, base));
  });
  afterAll(() => app?.close());

  /** An order of the manual product with one record per status given. */
  async function orderWith(statuses: FulfillmentStatus[], options: { email?: string; subject?: string } = {}) {
    const em = db.orm.em.fork();
    const product =
      (await em.findOne(Product, { slug: 'setup' })) ??
      em.create(Product, {
        slug: 'setup',
        name: 'Setup',
        priceMinor: 1000,
        currency: 'USD',
        deliveryModel: 'managed_setup',
        fulfillmentDriver: 'manual',
        fulfillmentConfig: { slaHours: 4, instructions: 'Do it.' },
      });
    const email = options.email ?? 'buyer@example.com';
    const user = (await em.findOne(User, { email })) ?? em.create(User, { email });
    const order = em.create(Order, {
      orderCode: `HO-T${String(++orderCounter).padStart(5, '0')}`,
      user,
      email,
      amountMinor: 1000,
      currency: 'USD',
    });
    const item = em.create(OrderItem, {
      order,
      product,
      productName: 'Setup',
      driver: 'manual',
      unitPriceMinor: 1000,
      currency: 'USD',
      input: { notes: 'hi', apiKey: 'sk_live_leak' },
    });
    const records = statuses.map((status, position) =>
      em.create(FulfillmentRecord, {
        order,
        orderItem: item,
        product,
        driver: 'manual',
        position,
        status,
        subject: options.subject ?? null,
        payloadSnapshot: {},
        lastError: status === 'failed' ? 'Provider answered 503: upstream down' : null,
      }),
    );
    await em.flush();
    return { order, records };
  }

  it('refuses every back office call to customers and to callers who are not signed in', async () => {
    for (const call of [
      () => customer.backOffice.orders.list.query({}),
      () => customer.backOffice.fulfillment.logs.query({}),
      () => customer.backOffice.dashboard.get.query(),
    ]) {
      expect(await errorOf(call())).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
    }
    expect(await errorOf(browser(base).api.backOffice.orders.list.query({}))).toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('lets finance read orders, records, logs and activity, and refuses it every repair, inventory account and product change', async () => {
    const { records } = await orderWith(['failed']);
    const recordId = records[0]?.id ?? '';
    expect((await finance.backOffice.orders.list.query({})).items.length).toBeGreaterThan(0);
    expect((await finance.backOffice.fulfillment.records.query({})).items.length).toBeGreaterThan(0);
    await finance.backOffice.activity.list.query({});

    const refused = [
      () => finance.backOffice.fulfillment.retry.mutate({ ids: [recordId] }),
      () => finance.backOffice.fulfillment.cancel.mutate({ ids: [recordId], reason: 'not wanted' }),
      () => finance.backOffice.fulfillment.rerunFromStep.mutate({ id: recordId, step: 'perform' }),
      () => finance.backOffice.tasks.list.query({}),
      () => finance.backOffice.inventory.items.query({}),
      () => finance.backOffice.inventory.previewImport.mutate({ poolSlug: 'any', csv: 'email,password\n' }),
      () => finance.backOffice.inventory.revealSecret.mutate({ itemId: recordId }),
      () => finance.backOffice.products.update.mutate({ id: recordId } as never),
      () => finance.backOffice.alerts.acknowledge.mutate({ id: recordId }),
    ];
    for (const call of refused) expect(await errorOf(call())).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
    expect((await db.orm.em.fork().findOneOrFail(FulfillmentRecord, { id: recordId })).status).toBe('failed');
  });

  it('keeps product changes and user management to admins', async () => {
    expect(await errorOf(ops.backOffice.products.create.mutate({} as never))).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await errorOf(ops.backOffice.products.testConnection.mutate({ driver: 'manual', config: {} })),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(await errorOf(ops.users.list.query({}))).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('finds orders by code, email, phone and a record domain, and shows one with items redacted', async () => {
    const { order } = await orderWith(['completed'], { email: 'someone@shop.test', subject: 'mybusiness.example' });
    const find = async (q: string) => (await ops.backOffice.orders.list.query({ q })).items.map((o) => o.id);
    expect(await find(order.orderCode.toLowerCase())).toEqual([order.id]);
    expect(await find('SOMEONE@shop')).toEqual([order.id]);
    expect(await find('mybusiness.ex')).toEqual([order.id]);
    expect(await find('nothing-like-this')).toEqual([]);

    const shown = await finance.backOffice.orders.byId.query({ id: order.id });
    expect(shown.items[0]?.input).toEqual({ notes: 'hi', apiKey: '[redacted]' });
    expect(shown.records.map((r) => r.status)).toEqual(['completed']);
  });

  it('filters logs by status, date range, phone, domain and error text, and pages through them by cursor without repeats', async () => {
    const { order, records } = await orderWith(['failed']);
    const em = db.orm.em.fork();
    const record = em.getReference(FulfillmentRecord, records[0]?.id ?? '');
    const day = (d: number, h = 10) => new Date(Date.UTC(2026, 10, d, h));
    for (let i = 0; i < 7; i++) {
      em.create(FulfillmentLog, {
        record,
        order: em.getReference(Order, order.id),
        driver: 'data-bundle',
        network: 'AT-iShare',
        phoneNumber: i % 2 === 0 ? '+233241234567' : '+233209999999',
        subject: 'bundle.example',
        kind: 'provider_call',
        status: i < 4 ? 'failed' : 'success',
        method: 'POST',
        url: 'https://api.example/deliver?api_key=abc123',
        request: { phone: '+233241234567', password: 'hunter2' },
        apiResponse: { ok: i >= 4, token: 'tok_123' },
        httpStatus: i < 4 ? 503 : 200,
        durationMs: 120,
        errorMessage: i < 4 ? 'AT-iShare answered 503: insufficient balance' : null,
        createdAt: day(10 + i),
      });
    }
    await em.flush();

    const failedInRange = await finance.backOffice.fulfillment.logs.query({
      status: 'failed',
      createdFrom: day(11, 0),
      createdTo: day(13, 23),
    });
    expect(failedInRange.items.map((l) => l.createdAt.toISOString())).toEqual([
      day(13).toISOString(),
      day(12).toISOString(),
      day(11).toISOString(),
    ]);
    const byPhone = await ops.backOffice.fulfillment.logs.query({ phoneNumber: '4567', network: 'AT-iShare' });
    expect(byPhone.items).toHaveLength(4);
    expect((await ops.backOffice.fulfillment.logs.query({ error: 'INSUFFICIENT' })).items).toHaveLength(4);
    expect((await ops.backOffice.fulfillment.logs.query({ subject: 'nowhere' })).items).toHaveLength(0);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<Client['backOffice']['fulfillment']['logs']['query']>> =
        await ops.backOffice.fulfillment.logs.query({ driver: 'data-bundle', limit: 3, cursor });
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);

    const viewed = await finance.backOffice.fulfillment.log.query({ id: seen[0] ?? 0 });
    expect(viewed.request).toEqual({ phone: '+233241234567', password: '[redacted]' });
    expect(viewed.response).toEqual({ ok: true, token: '[redacted]' });
    expect(viewed.url).toBe('https://api.example/deliver?api_key=%5Bredacted%5D');
    expect(await errorOf(ops.backOffice.fulfillment.logs.query({ cursor: 'not-a-cursor' }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('bulk-retries and bulk-cancels with one result per record, and logs who did it', async () => {
    const { records } = await orderWith(['failed', 'completed', 'queued']);
    const [failed, completed, queued] = records.map((r) => r.id) as [string, string, string];

    const retried = await ops.backOffice.fulfillment.retry.mutate({ ids: [failed, completed] });
    expect(retried).toEqual([
      { recordId: failed, ok: true, message: 'Queued for another attempt' },
      { recordId: completed, ok: false, message: 'Only failed records can be retried; this one is completed' },
    ]);
    const cancelled = await admin.backOffice.fulfillment.cancel.mutate({
      ids: [queued, completed],
      reason: 'duplicate',
    });
    expect(cancelled.map((r) => [r.recordId, r.ok])).toEqual([
      [queued, true],
      [completed, false],
    ]);
    const em = db.orm.em.fork();
    expect((await em.findOneOrFail(FulfillmentRecord, { id: failed })).status).toBe('queued');
    expect((await em.findOneOrFail(FulfillmentRecord, { id: queued })).status).toBe('cancelled');
    expect(
      await em.count(ActivityLog, { action: 'fulfillment.retry_requested', actorId: opsId, subjectId: failed }),
    ).toBe(1);
    expect(await errorOf(ops.backOffice.fulfillment.retry.mutate({ ids: [] }))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('lists open manual tasks by due time with overdue marked, and completes one with a resolution', async () => {
    const { records } = await orderWith(['manual_pending', 'manual_pending']);
    const em = db.orm.em.fork();
    const late = em.create(ManualTask, {
      record: em.getReference(FulfillmentRecord, records[0]?.id ?? ''),
      step: 'perform',
      title: 'Late task',
      dueAt: new Date(clock.now().getTime() - 3_600_000),
    });
    em.create(ManualTask, {
      record: em.getReference(FulfillmentRecord, records[1]?.id ?? ''),
      step: 'perform',
      title: 'Later task',
      dueAt: new Date(clock.now().getTime() + 3_600_000),
    });
    await em.flush();

    const queue = await ops.backOffice.tasks.list.query({});
    expect(queue.items.map((t) => [t.title, t.overdue])).toEqual([
      ['Late task', true],
      ['Later task', false],
    ]);
    await ops.backOffice.tasks.complete.mutate({ id: late.id, resolution: { note: 'Configured by hand' } });
    const done = await db.orm.em.fork().findOneOrFail(ManualTask, { id: late.id });
    expect([done.status, done.resolution]).toEqual(['done', { note: 'Configured by hand' }]);
    expect((await ops.backOffice.tasks.list.query({})).items.map((t) => t.title)).toEqual(['Later task']);
  });

  it('previews a CSV import with row errors and duplicates, imports a good one, and lists items without passwords', async () => {
    const em = db.orm.em.fork();
    const pool = em.create(InventoryPool, { slug: 'm365', name: 'Microsoft 365', lowStockThreshold: 3 });
    em.create(InventoryItem, { pool, email: 'old@outlook.test', secretEncrypted: box.encrypt('Old1!') });
    await em.flush();

    const bad = 'email,password,notes\nnew1@outlook.test,Pass1!,\nnot-an-email,Pass2!,\nOLD@outlook.test,Pass3!,\n';
    const preview = await ops.backOffice.inventory.previewImport.mutate({ poolSlug: 'm365', csv: bad });
    expect(preview.errors.map((e) => e.line)).toEqual([3]);
    expect(preview.skippedDuplicates).toEqual([{ line: 4, email: 'old@outlook.test', reason: 'already in pool' }]);
    const refused = await ops.backOffice.inventory.import.mutate({ poolSlug: 'm365', csv: bad });
    expect(refused.imported).toBe(0);

    const good = 'email,password,notes\nnew1@outlook.test,Pass1!,\nnew2@outlook.test,Pass2!,Batch 2\n';
    expect((await ops.backOffice.inventory.import.mutate({ poolSlug: 'm365', csv: good })).imported).toBe(2);
    const pools = await finance.backOffice.inventory.pools.query();
    expect(pools.find((p) => p.slug === 'm365')).toMatchObject({ counts: { available: 3 }, lowStock: false });
    const items = await ops.backOffice.inventory.items.query({ poolId: pool.id });
    expect(items.total).toBe(3);
    expect(JSON.stringify(items)).not.toMatch(/Pass|Old1|secret/i);
  });

  it('saves a product only when its driver config is valid, naming the bad config fields, and describes the drivers', async () => {
    const product = {
      slug: 'managed-dns',
      name: 'Managed DNS setup',
      priceMinor: 5000,
      currency: 'USD',
      deliveryModel: 'managed_setup' as const,
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { slaHours: 0, instructions: 'Set up DNS.' },
      enabledPaymentGateways: ['sandbox' as const],
      defaultPaymentGateway: 'sandbox' as const,
    };
    const refused = await admin.backOffice.products.create.mutate(product).catch((e: unknown) => e);
    expect((refused as { data: { fieldErrors: Record<string, string[]> } }).data.fieldErrors).toEqual({
      'fulfillmentConfig.slaHours': ['Enter 1 or more'],
    });
    const created = await admin.backOffice.products.create.mutate({
      ...product,
      fulfillmentConfig: { slaHours: 8, instructions: 'Set up DNS.' },
    });
    const updated = await admin.backOffice.products.update.mutate({
      id: created.id,
      ...product,
      name: 'Managed DNS',
      fulfillmentConfig: { slaHours: 12, instructions: 'Set up DNS.' },
    });
    expect([updated.name, updated.fulfillmentConfig.slaHours]).toEqual(['Managed DNS', 12]);

    const [manual] = await ops.backOffice.products.drivers.query();
    expect(manual).toMatchObject({ driver: 'manual', deliveryModels: ['managed_setup'], canTestConnection: false });
    expect(manual?.configJsonSchema).toMatchObject({ required: expect.arrayContaining(['slaHours', 'instructions']) });
    expect(
      await admin.backOffice.products.testConnection.mutate({
        driver: 'manual',
        config: { slaHours: 2, instructions: 'x' },
      }),
    ).toEqual({ ok: false, message: 'The manual driver has no connection test.' });
  });

  it('acknowledges alerts and filters them by type; the dashboard counts records, failures and alerts', async () => {
    const em = db.orm.em.fork();
    const alert = em.create(AdminAlert, { type: 'fulfillment_failure', message: 'Order failed' });
    em.create(AdminAlert, { type: 'low_inventory', message: 'Low stock' });
    await em.flush();
    expect((await finance.backOffice.alerts.list.query({ type: 'low_inventory' })).items.map((a) => a.type)).toEqual([
      'low_inventory',
    ]);
    const acked = await ops.backOffice.alerts.acknowledge.mutate({ id: alert.id });
    expect(acked.acknowledgedAt).not.toBeNull();
    expect((await ops.backOffice.alerts.list.query({ open: true })).items.map((a) => a.id)).not.toContain(alert.id);

    const dashboard = await finance.backOffice.dashboard.get.query();
    const count = await db.orm.em.fork().count(FulfillmentRecord, {});
    expect(dashboard.recordsByStatus.reduce((sum, row) => sum + row.count, 0)).toBe(count);
    expect(dashboard.last24h).toHaveLength(24);
    expect(dashboard.queue.waiting + dashboard.queue.scheduled).toBeGreaterThan(0);
  });
});
