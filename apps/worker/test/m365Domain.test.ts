import { checkM365DomainsAvailable, checkOrderLines, importInventoryCsv, ValidationError } from '@handover/core';
import {
  AdminAlert,
  DnsCheck,
  FulfillmentLog,
  FulfillmentStep,
  InventoryItem,
  InventoryPool,
  Notification,
  Order,
  OutboxMessage,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { createM365DomainAdapter, PlugsaasClient } from '@handover/integrations';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { placeOrder, settledRecord, stockPool } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';
import { createM365DomainProduct, m365OrderForm } from './support/m365';
import { startTestSandbox, type TestSandbox } from './support/sandbox';

describe('m365-domain driver (seed 000 phase 3)', () => {
  const db = useTestDatabase({ poolMax: 10 });
  let sandbox: TestSandbox;
  let worker: InProcessWorker;
  let n = 0;

  const em = () => db.orm.em.fork();
  const settled = (id: string, statuses: string[]) => settledRecord(em, id, statuses);
  /** A product on a pool of its own, stocked with `stock` accounts (account-0001 is the oldest). */
  const product = async (stock: number, retryPolicy?: { maxAttempts: number; backoffSeconds: number[] }) => {
    const pool = `ms365-${++n}`;
    await stockPool(em(), worker.secrets, pool, stock);
    return { pool, product: await createM365DomainProduct(em(), { slug: `m365-${n}`, pool, retryPolicy }) };
  };
  const order = (p: Awaited<ReturnType<typeof product>>, domains: string[], isTest = false) =>
    placeOrder(em(), worker.registry, p.product, [m365OrderForm(domains)], { isTest });

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    const client = new PlugsaasClient({
      baseUrl: sandbox.plugsaasEnv.PLUGSAAS_API_URL,
      apiKey: sandbox.plugsaasEnv.PLUGSAAS_API_KEY,
      timeoutMs: 5_000,
    });
    worker = await startInProcessWorker(db, [createM365DomainAdapter(client)]);
  });
  afterAll(async () => {
    await worker?.stop();
    await sandbox?.close();
  });
  beforeEach(() => sandbox.reset());

  it('takes the oldest account, orders at PlugSaaS, assigns the account and puts the nameservers on the order', async () => {
    const p = await product(2);
    const { order: placed, records } = await order(p, ['mybusiness.com']);
    expect(records.map((r) => r.subject)).toEqual(['mybusiness.com']);
    const done = await settled(records[0]?.id ?? '', ['completed']);

    const steps = await em().find(FulfillmentStep, { record: done.id }, { orderBy: { position: 'asc' } });
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['check_domain', 'done'],
      ['reserve_account', 'done'],
      ['create_plugsaas_order', 'done'],
      ['get_nameservers', 'done'],
      ['assign_account', 'done'],
      ['update_order', 'done'],
    ]);
    const [plugsaasOrder, ...others] = await sandbox.plugsaasOrders();
    expect(others).toEqual([]);
    expect(plugsaasOrder).toMatchObject({
      domain: 'mybusiness.com',
      forwardingUrl: 'https://example.com',
      names: ['John Doe', 'Jane Smith'],
      microsoftEmail: 'account-0001@outlook.test',
      idempotencyKey: `${done.id}:create_plugsaas_order`,
    });
    const nameservers = plugsaasOrder?.nameservers ?? [];
    expect(nameservers).toHaveLength(2);

    // Step 3.5: the account is the customer's now; the newer one stays available.
    const items = await em().find(InventoryItem, { pool: { slug: p.pool } }, { orderBy: { email: 'asc' } });
    expect(items[0]).toMatchObject({
      email: 'account-0001@outlook.test',
      status: 'assigned',
      order: { id: placed.id },
      customerEmail: 'customer@example.com',
      domain: 'mybusiness.com',
    });
    expect(items[0]?.reservedDate).toBeInstanceOf(Date);
    expect(items[0]?.assignedDate).toBeInstanceOf(Date);
    expect(items[1]).toMatchObject({ status: 'available', order: null });

    // Step 3.6: orders table FINAL.
    const finished = await em().findOneOrFail(Order, { id: placed.id });
    expect(finished).toMatchObject({
      fulfillmentStatus: 'completed',
      dnsStatus: 'pending_verification',
      nameservers: [{ domain: 'mybusiness.com', nameservers, dns_verified: false }],
      fulfillmentResults: [
        {
          domain: 'mybusiness.com',
          msAccountEmail: 'account-0001@outlook.test',
          plugsaasOrderId: plugsaasOrder?.orderId,
          nameservers,
          status: 'completed',
        },
      ],
    });
    // PlugSaaS's order id is the record's external reference: ops search by it, reconcile asks about it.
    expect(done.externalReferenceId).toBe(plugsaasOrder?.orderId);
    expect(done.result).toEqual({
      domain: 'mybusiness.com',
      nameservers,
      plugsaasOrderId: plugsaasOrder?.orderId,
      dns_verified: false,
    });
    expect(await em().findOneOrFail(DnsCheck, { record: done.id })).toMatchObject({
      domain: 'mybusiness.com',
      expectedNameservers: nameservers,
      status: 'pending_verification',
    });
    expect(await em().count(OutboxMessage, { template: 'order_completed', recipient: 'customer@example.com' })).toBe(1);
  });

  it('makes one record per domain of an order, and completes the order when every domain is delivered', async () => {
    const p = await product(3);
    const { order: placed, records } = await order(p, ['first-shop.com', 'Bücher-Laden.de', 'third-shop.net']);
    expect(records.map((r) => r.subject)).toEqual(['first-shop.com', 'xn--bcher-laden-thb.de', 'third-shop.net']);
    for (const record of records) await settled(record.id, ['completed']);

    const finished = await em().findOneOrFail(Order, { id: placed.id });
    expect(finished.fulfillmentStatus).toBe('completed');
    // Domains finish in any order; the order lists them as the form did.
    expect(finished.nameservers.map((e) => e.domain)).toEqual([
      'first-shop.com',
      'xn--bcher-laden-thb.de',
      'third-shop.net',
    ]);
    expect(finished.fulfillmentResults.map((e) => e.domain)).toEqual(finished.nameservers.map((e) => e.domain));
    const assigned = await em().find(InventoryItem, { pool: { slug: p.pool }, status: 'assigned' });
    expect(new Set(assigned.map((i) => i.domain))).toEqual(new Set(records.map((r) => r.subject)));
    expect((await sandbox.plugsaasOrders()).map((o) => o.domain).sort()).toEqual([
      'first-shop.com',
      'third-shop.net',
      'xn--bcher-laden-thb.de',
    ]);
  });

  it('runs the same steps for a test order that skipped payment', async () => {
    const p = await product(1);
    const { order: placed, records } = await order(p, ['test-mode-shop.com'], true);
    expect(records[0]?.isTest).toBe(true);
    const done = await settled(records[0]?.id ?? '', ['completed']);
    expect(await em().count(FulfillmentStep, { record: done.id, status: 'done' })).toBe(6);
    expect(await em().findOneOrFail(Order, { id: placed.id })).toMatchObject({
      isTest: true,
      paidAt: null,
      fulfillmentStatus: 'completed',
      dnsStatus: 'pending_verification',
    });
    expect((await sandbox.plugsaasOrders()).map((o) => o.domain)).toEqual(['test-mode-shop.com']);
  });

  it('with PlugSaaS down, tries three times 2 s then 4 s apart, then rolls back as the seed shows', async () => {
    const p = await product(1);
    await sandbox.setFault('plugsaas', { errorRate: 1, statusCode: 503, pathIncludes: '/api/addOrder' });
    const { order: placed, records } = await order(p, ['down-shop.com']);
    const failed = await settled(records[0]?.id ?? '', ['failed']);

    const attempts = await em().find(
      FulfillmentLog,
      { record: failed.id, kind: 'attempt', step: 'create_plugsaas_order' },
      { orderBy: { id: 'asc' } },
    );
    expect(attempts.map((a) => [a.attemptNumber, a.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'failed'],
    ]);
    const at = attempts.map((a) => a.createdAt.getTime());
    // Lower bounds only: the seed's waits are 2 s and 4 s; a busy machine may take longer.
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(1_900);
    expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(3_900);
    // Each failed attempt planned the next 2 s, then 4 s, on (its log row is written a moment after)...
    const planned = attempts.slice(0, 2).map((a) => a.retryAfter?.getTime() ?? Number.NaN);
    expect((planned[0] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(1_900);
    expect((planned[1] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(3_900);
    // ...and the next attempt did not come before it.
    expect(at[1]).toBeGreaterThanOrEqual(planned[0] ?? Number.POSITIVE_INFINITY);
    expect(at[2]).toBeGreaterThanOrEqual(planned[1] ?? Number.POSITIVE_INFINITY);
    // The undo asks once more under the attempts' key whether PlugSaaS made the order after all
    // (an answer can be lost): still down, so it cannot tell.
    const calls = await sandbox.calls('plugsaas');
    expect(calls.endpoints).toEqual({ 'POST /plugsaas/api/addOrder': 4 });

    // "Database State After Rollback", except that the account is held back (quarantined) until
    // PlugSaaS can say that no order of this record holds it (apps/worker/test/uncertainCreate.test.ts).
    const [item] = await em().find(InventoryItem, { pool: { slug: p.pool } });
    expect(item).toMatchObject({ status: 'quarantined', record: { id: failed.id } });
    expect(item?.quarantineReason).toContain('undoing create_plugsaas_order failed');
    const rolledBack = await em().findOneOrFail(Order, { id: placed.id });
    expect(rolledBack.fulfillmentStatus).toBe('failed');
    expect(rolledBack.fulfillmentError).toBe(
      'down-shop.com: PlugSaaS API error: plugsaas answered 503: Sandbox fault: 503 (after 3 attempts)',
    );
    expect(rolledBack.dnsStatus).toBe('not_applicable');
    const alert = await em().findOneOrFail(AdminAlert, { type: 'fulfillment_failure', subjectId: failed.id });
    expect(alert.message).toBe(
      `Order ${placed.orderCode} failed: Microsoft 365 email domain (down-shop.com): PlugSaaS API error: plugsaas answered 503: Sandbox fault: 503 (after 3 attempts)`,
    );
    expect(await em().count(OutboxMessage, { template: 'fulfillment_failed', recipient: 'customer@example.com' })).toBe(
      1,
    );
    expect(await em().count(Notification, { type: 'order_status_change', data: { recordId: failed.id } })).toBe(1);
    expect(await em().count(InventoryItem, { status: 'reserved' })).toBe(0);
    expect(await em().count(DnsCheck, { record: failed.id })).toBe(0);
  });

  it('deletes the PlugSaaS order and releases the account when getting the nameservers fails for good', async () => {
    const p = await product(1, { maxAttempts: 3, backoffSeconds: [0.1, 0.1] });
    await sandbox.setFault('plugsaas', { errorRate: 1, statusCode: 502, pathIncludes: '/api/getNameservers' });
    const { records } = await order(p, ['half-made.com']);
    const failed = await settled(records[0]?.id ?? '', ['failed']);

    const steps = await em().find(FulfillmentStep, { record: failed.id }, { orderBy: { position: 'asc' } });
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['check_domain', 'compensated'],
      ['reserve_account', 'compensated'],
      ['create_plugsaas_order', 'compensated'],
      ['get_nameservers', 'failed'],
    ]);
    expect(await sandbox.plugsaasOrders()).toEqual([]);
    expect((await sandbox.calls('plugsaas')).endpoints['POST /plugsaas/api/deleteOrder']).toBe(1);
    expect(await em().findOneOrFail(InventoryItem, { pool: { slug: p.pool } })).toMatchObject({
      status: 'available',
      record: null,
    });
  });

  it('waits with an empty pool, alerts ops, and completes once accounts are imported', async () => {
    const p = await product(0);
    const { order: placed, records } = await order(p, ['patient-shop.com']);
    const waiting = await settled(records[0]?.id ?? '', ['awaiting_inventory']);
    expect(waiting.statusReason).toBe('Waiting for a Microsoft 365 account to be added to our stock');
    expect((await em().findOneOrFail(Order, { id: placed.id })).fulfillmentStatus).toBe('waiting');
    const pool = await em().findOneOrFail(InventoryPool, { slug: p.pool });
    const lowStock = await em().findOneOrFail(AdminAlert, { type: 'low_inventory', subjectId: pool.id });
    expect(lowStock.message).toContain('is empty: new orders wait until stock is added');
    expect(await sandbox.plugsaasOrders()).toEqual([]);

    const imported = await importInventoryCsv(
      em(),
      'email,password,notes\nfresh@outlook.test,Fresh-Pass-1!,restock\n',
      {
        poolSlug: p.pool,
        box: worker.secrets,
      },
    );
    expect(imported.imported).toBe(1);
    const done = await settled(waiting.id, ['completed']);
    expect(await em().findOneOrFail(InventoryItem, { record: done.id })).toMatchObject({
      email: 'fresh@outlook.test',
      status: 'assigned',
      domain: 'patient-shop.com',
    });
  });

  it('gives the last account to one of two orders racing for it; the other waits for stock', async () => {
    const p = await product(1);
    const placed = await Promise.all([order(p, ['racer-one.com']), order(p, ['racer-two.com'])]);
    const ids = placed.map(({ records }) => records[0]?.id ?? '');
    const outcome = await Promise.all(ids.map((id) => settled(id, ['completed', 'awaiting_inventory'])));
    expect(outcome.map((r) => r.status).sort()).toEqual(['awaiting_inventory', 'completed']);
    const winner = outcome.find((r) => r.status === 'completed');
    const loser = outcome.find((r) => r.status === 'awaiting_inventory');
    expect(await em().findOneOrFail(InventoryItem, { pool: { slug: p.pool } })).toMatchObject({
      status: 'assigned',
      record: { id: winner?.id },
    });
    expect(await em().count(InventoryItem, { record: loser?.id })).toBe(0);
    expect((await sandbox.plugsaasOrders()).map((o) => o.domain)).toEqual([winner?.subject]);
  });

  it('refuses a domain already delivered: at checkout with a field error, and in the driver without taking an account', async () => {
    const p = await product(2);
    const first = await order(p, ['taken-shop.com']);
    await settled(first.records[0]?.id ?? '', ['completed']);

    expect(await checkM365DomainsAvailable(em(), ['free-shop.com', 'Taken-Shop.com.'])).toEqual({
      'domains.1.domain': ['taken-shop.com is already set up with us, or being set up; contact support if it is yours'],
    });
    const checkout = checkOrderLines(em(), worker.registry, [
      {
        driver: 'm365-domain',
        productName: 'Microsoft 365',
        input: m365OrderForm(['free-shop.com', 'taken-shop.com']),
      },
    ]);
    await expect(checkout).rejects.toBeInstanceOf(ValidationError);
    await expect(checkout).rejects.toMatchObject({
      fieldErrors: { 'items.0.input.domains.1.domain': [expect.stringContaining('taken-shop.com is already set up')] },
    });
    await expect(
      checkOrderLines(em(), worker.registry, [
        { driver: 'm365-domain', productName: 'Microsoft 365', input: m365OrderForm(['free-shop.com']) },
      ]),
    ).resolves.toBeUndefined();

    // Paid anyway (two checkouts at once): the driver refuses for good, before any account is taken.
    const second = await order(p, ['taken-shop.com']);
    const refused = await settled(second.records[0]?.id ?? '', ['failed']);
    expect(refused.lastErrorCode).toBe('domain_in_use');
    expect(await em().count(InventoryItem, { pool: { slug: p.pool }, status: 'available' })).toBe(1);
    expect((await sandbox.plugsaasOrders()).map((o) => o.idempotencyKey)).toEqual([
      `${first.records[0]?.id}:create_plugsaas_order`,
    ]);
  });

  it('never lets the Microsoft password out: not in results, order JSON, journal, logs, messages, alerts or activity', async () => {
    const p = await product(2, { maxAttempts: 2, backoffSeconds: [0.1] });
    const delivered = await order(p, ['secret-safe.com']);
    await settled(delivered.records[0]?.id ?? '', ['completed']);
    await sandbox.setFault('plugsaas', { errorRate: 1, statusCode: 500, pathIncludes: '/api/getNameservers' });
    const rolledBack = await order(p, ['secret-rollback.com']);
    await settled(rolledBack.records[0]?.id ?? '', ['failed']);

    const addOrderCall = await em().findOneOrFail(FulfillmentLog, {
      record: delivered.records[0]?.id,
      kind: 'provider_call',
      step: 'create_plugsaas_order',
    });
    expect(addOrderCall.request).toMatchObject({
      microsoft_email: 'account-0001@outlook.test',
      microsoft_password: '[redacted]',
    });
    // Every table a customer, an operator or a log reader sees, read whole; inventory_items holds only ciphertext.
    const tables = [
      'orders',
      'order_items',
      'fulfillment_records',
      'fulfillment_steps',
      'fulfillment_logs',
      'dns_checks',
      'outbox',
      'notifications',
      'admin_alerts',
      'activity_logs',
    ];
    const dumps = await Promise.all(
      tables.map((table) => em().execute(`select coalesce(json_agg(t), '[]') as rows from ${table} t`)),
    );
    const everything = JSON.stringify(dumps);
    expect(everything).toContain('secret-rollback.com');
    for (const password of ['Pass-1!', 'Pass-2!']) expect(everything).not.toContain(password);
  });
});
