import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  acceptPaymentEvent,
  addJob,
  type PaymentDeps,
  receivePaymentWebhook,
  refundOrder,
  startCheckout,
  systemClock,
} from '@handover/core';
import {
  AdminAlert,
  FulfillmentRecord,
  Order,
  PaymentEvent,
  PendingOrder,
  Product,
  Refund,
  User,
  WalletAccount,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import {
  createPaymentGateways,
  createTestkitAdapter,
  manualAdapter,
  paymentGatewaysEnvSchema,
  TestkitClient,
} from '@handover/integrations';
import { allEmulators, createSandbox, ZoneStore } from '@handover/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';

const secrets = {
  PAYPAL_CLIENT_ID: `client-${randomUUID()}`,
  PAYPAL_CLIENT_SECRET: randomUUID(),
  PAYPAL_WEBHOOK_ID: 'WHWORKERTEST',
  SANDBOX_GATEWAY_SECRET: randomBytes(16).toString('hex'),
};

describe('the worker side of payments', () => {
  const db = useTestDatabase({ poolMax: 10 });
  const em = () => db.orm.em.fork();
  let worker: InProcessWorker;
  let payments: PaymentDeps;
  let sandboxUrl: string;
  let closeAll: () => Promise<void>;
  const deliveries: { path: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];

  beforeAll(async () => {
    // Stands in for the gateways' delivery to our server: the test hands each one to the inbox.
    const recorder = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        deliveries.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    const sandbox = await createSandbox({
      // The emulators read the same variables as the gateways, as in `pnpm dev`.
      emulators: allEmulators(secrets, { zones: new ZoneStore() }),
      publicUrl: 'http://sandbox.invalid',
      webhookBaseUrl: `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`,
      hangMs: 200,
    });
    await sandbox.listen({ host: '127.0.0.1', port: 0 });
    sandboxUrl = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
    const gateways = createPaymentGateways(
      paymentGatewaysEnvSchema.parse({
        ...secrets,
        PAYPAL_API_URL: `${sandboxUrl}/paypal`,
        SANDBOX_GATEWAY_URL: `${sandboxUrl}/sandbox-gateway`,
        PAYMENT_GATEWAY_TIMEOUT_MS: '2000',
      }),
    );
    const testkit = createTestkitAdapter(new TestkitClient({ baseUrl: `${sandboxUrl}/testkit` }), {
      steps: ['create', 'activate'],
    });
    const deferredRetryDelaysMs = [150, 150, 150];
    worker = await startInProcessWorker(db, [manualAdapter, testkit], { gateways, deferredRetryDelaysMs });
    payments = {
      em: db.orm.em,
      gateways,
      registry: worker.registry,
      clock: systemClock,
      deferredRetryDelaysMs,
      refundRetryAfterMs: 100,
    };
    closeAll = async () => {
      await worker.stop();
      await sandbox.close();
      await new Promise<void>((resolve) => recorder.close(() => resolve()));
    };
  });
  afterAll(() => closeAll?.());

  async function product(overrides: Partial<Product> = {}): Promise<Product> {
    const created = em().create(Product, {
      slug: `p-${randomUUID().slice(0, 8)}`,
      name: 'Managed setup',
      priceMinor: 2500,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'ops', slaHours: 4, instructions: 'Set it up.' },
      enabledPaymentGateways: ['paypal', 'sandbox', 'wallet'],
      ...overrides,
    });
    await em().persistAndFlush(created);
    return created;
  }

  const lineOf = (p: Product, input: Record<string, unknown> = {}) => ({
    productId: p.id,
    productName: p.name,
    quantity: 1,
    unitPriceMinor: p.priceMinor,
    input,
  });

  async function pendingOrder(p: Product, overrides: Partial<PendingOrder> = {}): Promise<PendingOrder> {
    const created = em().create(PendingOrder, {
      email: `${randomUUID().slice(0, 8)}@example.com`,
      items: [lineOf(p)],
      amountMinor: p.priceMinor,
      currency: 'USD',
      paymentGateway: 'sandbox',
      expiresAt: new Date(Date.now() + 3_600_000),
      ...overrides,
    });
    await em().persistAndFlush(created);
    return created;
  }

  const deliveryOf = (type: string) =>
    until(
      async () =>
        deliveries.find((d) => {
          const body = JSON.parse(d.body.toString()) as { event_type?: string; type?: string };
          return (body.event_type ?? body.type) === type;
        }),
      { what: `a ${type} delivery` },
    );
  const sandboxEvent = (data: Record<string, unknown>, type = 'payment.succeeded') =>
    payments.gateways.sandbox?.normalizeWebhookPayload({
      id: `sbe_${randomUUID()}`,
      type,
      created_at: new Date().toISOString(),
      data,
    });

  it('looks again at an event that arrived before its pending order, and creates the order once it exists', async () => {
    const p = await product();
    const pendingOrderId = randomUUID();
    const event = sandboxEvent({
      reference: pendingOrderId,
      payment_id: 'sbp_early_bird',
      amount_minor: 2500,
      currency: 'USD',
      subscription_id: null,
    });
    if (!event) throw new Error('no sandbox gateway');
    expect(await acceptPaymentEvent(payments, event)).toMatchObject({ outcome: { status: 'deferred' } });
    await pendingOrder(p, { id: pendingOrderId });

    const row = await until(
      async () => {
        const found = await em().findOne(PaymentEvent, { eventId: event.eventId });
        return found?.status === 'processed' ? found : null;
      },
      { what: 'the deferred event processed' },
    );
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    const order = await em().findOneOrFail(Order, { pendingOrder: pendingOrderId });
    expect(order).toMatchObject({ paymentReference: 'sbp_early_bird', status: 'paid' });
    expect(row.orderId).toBe(order.id);
  });

  it('gives up on an event that never finds its subject, with an alert, after the last look', async () => {
    const event = sandboxEvent({
      reference: randomUUID(),
      payment_id: 'sbp_orphan',
      amount_minor: 100,
      currency: 'USD',
      subscription_id: null,
    });
    if (!event) throw new Error('no sandbox gateway');
    await acceptPaymentEvent(payments, event);
    const row = await em().findOneOrFail(PaymentEvent, { eventId: event.eventId });
    const alert = await until(() => em().findOne(AdminAlert, { type: 'payment_event_unmatched', subjectId: row.id }), {
      what: 'the alert',
    });
    expect(alert.severity).toBe('critical');
    expect(await em().findOneOrFail(PaymentEvent, row.id)).toMatchObject({ status: 'deferred', attempts: 4 });
  });

  it('captures an approved PayPal order in the worker; the capture webhook then creates the order', async () => {
    const p = await product();
    const pending = await pendingOrder(p, { paymentGateway: 'paypal' });
    const session = await payments.gateways.paypal?.createCheckoutSession({
      pendingOrderId: pending.id,
      customerEmail: pending.email,
      currency: 'USD',
      amountMinor: 2500,
      lineItems: [{ name: p.name, quantity: 1, unitAmountMinor: 2500 }],
      successUrl: 'http://portal.test/done',
      cancelUrl: 'http://portal.test/cancel',
      idempotencyKey: `checkout:${pending.id}`,
    });
    const page = new URL(session?.redirectUrl ?? '');
    const html = await (await fetch(`${sandboxUrl}${page.pathname}${page.search}`)).text();
    const approve = /<form method="post" action="([^"]+)"><button[^>]*>Approve/.exec(html)?.[1] ?? '';
    await fetch(`${sandboxUrl}${approve.replace(/&amp;/g, '&')}`, { method: 'POST', redirect: 'manual' });

    const approved = await deliveryOf('CHECKOUT.ORDER.APPROVED');
    const first = await receivePaymentWebhook(payments, 'paypal', approved.body, approved.headers);
    expect(first).toMatchObject({ kind: 'accepted', outcome: { status: 'processed', note: 'capture queued' } });
    const completed = await deliveryOf('PAYMENT.CAPTURE.COMPLETED');
    expect(await receivePaymentWebhook(payments, 'paypal', completed.body, completed.headers)).toMatchObject({
      outcome: { status: 'processed' },
    });
    const order = await em().findOneOrFail(Order, { pendingOrder: pending.id });
    expect(order).toMatchObject({ paymentGateway: 'paypal', status: 'paid' });
    expect(order.paymentReference).not.toBe(session?.sessionId);
  });

  it('suspends delivered records through the adapter when the subscription ends', async () => {
    const p = await product({
      fulfillmentDriver: 'testkit',
      deliveryModel: 'saas_singletenant',
      fulfillmentConfig: {},
      isRecurring: true,
      billingInterval: 'month',
    });
    const pending = await pendingOrder(p, { items: [lineOf(p, { label: 'tenant-a' })] });
    const paid = sandboxEvent({
      reference: pending.id,
      payment_id: 'sbp_sub_first',
      amount_minor: 2500,
      currency: 'USD',
      subscription_id: 'sbsub_worker',
    });
    if (!paid) throw new Error('no sandbox gateway');
    await acceptPaymentEvent(payments, paid);
    const order = await em().findOneOrFail(Order, { pendingOrder: pending.id });
    await until(async () => (await em().findOneOrFail(FulfillmentRecord, { order: order.id })).status === 'completed', {
      what: 'delivery',
    });

    const ended = sandboxEvent({ subscription_id: 'sbsub_worker' }, 'subscription.cancelled');
    if (!ended) throw new Error('no sandbox gateway');
    await acceptPaymentEvent(payments, ended);
    const record = await until(
      async () => {
        const r = await em().findOneOrFail(FulfillmentRecord, { order: order.id });
        return r.status === 'suspended' ? r : null;
      },
      { what: 'suspension' },
    );
    const stats = (await (await fetch(`${sandboxUrl}/testkit/_sandbox/stats`)).json()) as {
      resources: { id: string; status: string }[];
    };
    expect(stats.resources.find((r) => r.id === record.result.resourceId)?.status).toBe('suspended');
    expect((await em().findOneOrFail(Order, order.id)).fulfillmentStatus).toBe('suspended');
  });

  it('cancels a delivered record through the adapter when its order is refunded, and retries a refund the gateway missed', async () => {
    const p = await product({
      fulfillmentDriver: 'testkit',
      deliveryModel: 'saas_singletenant',
      fulfillmentConfig: {},
    });
    const buyer = em().create(User, { email: `wallet-${randomUUID().slice(0, 6)}@example.com` });
    const staff = em().create(User, { email: `finance-${randomUUID().slice(0, 6)}@example.com`, role: 'finance' });
    await em().persistAndFlush([buyer, staff]);
    await em().transactional((tem) =>
      tem.execute(`insert into wallet_accounts (id, user_id, currency, balance_minor) values (?, ?, 'USD', 2500)`, [
        randomUUID(),
        buyer.id,
      ]),
    );
    const deps = { ...payments, settings: { portalUrl: 'http://portal.test', pendingOrderTtlMs: 60_000 } };
    const bought = await startCheckout(
      deps,
      {
        email: buyer.email,
        phone: null,
        gateway: 'wallet',
        items: [{ productId: p.id, quantity: 1, input: { label: 'tenant-b' } }],
      },
      { userId: buyer.id },
    );
    const order = await em().findOneOrFail(Order, { orderCode: bought.orderCode ?? '' });
    await until(async () => (await em().findOneOrFail(FulfillmentRecord, { order: order.id })).status === 'completed', {
      what: 'delivery',
    });
    await refundOrder(
      deps,
      { orderId: order.id, reason: 'not wanted', toWallet: false },
      { type: 'user', id: staff.id },
    );
    const record = await until(
      async () => {
        const r = await em().findOneOrFail(FulfillmentRecord, { order: order.id });
        return r.status === 'cancelled' ? r : null;
      },
      { what: 'cancellation' },
    );
    const stats = (await (await fetch(`${sandboxUrl}/testkit/_sandbox/stats`)).json()) as {
      resources: { id: string; status: string }[];
    };
    expect(stats.resources.find((r) => r.id === record.result.resourceId)?.status).toBe('deleted');
    expect(await em().findOneOrFail(WalletAccount, { user: buyer.id })).toMatchObject({ balanceMinor: 2500 });

    // A gateway refund whose first request meets a 503: kept pending, sent again by the worker.
    const sold = await product();
    const pending = await pendingOrder(sold);
    const session = await payments.gateways.sandbox?.createCheckoutSession({
      pendingOrderId: pending.id,
      customerEmail: pending.email,
      currency: 'USD',
      amountMinor: 2500,
      lineItems: [{ name: sold.name, quantity: 1, unitAmountMinor: 2500 }],
      successUrl: 'http://portal.test/done',
      cancelUrl: 'http://portal.test/cancel',
      idempotencyKey: `checkout:${pending.id}`,
    });
    await fetch(`${sandboxUrl}/sandbox-gateway/checkout/${session?.sessionId}/pay`, {
      method: 'POST',
      redirect: 'manual',
    });
    const paidDelivery = await until(async () => deliveries.find((d) => d.body.toString().includes(pending.id)), {
      what: 'the payment webhook',
    });
    await receivePaymentWebhook(payments, 'sandbox', paidDelivery.body, paidDelivery.headers);
    const paidOrder = await em().findOneOrFail(Order, { pendingOrder: pending.id });
    await fetch(`${sandboxUrl}/_control/faults/sandbox-gateway`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1, statusCode: 503, remaining: 1 }),
    });
    const refund = await refundOrder(
      deps,
      { orderId: paidOrder.id, reason: 'gateway hiccup', toWallet: false },
      { type: 'user', id: staff.id },
    );
    expect(refund).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/503/) });
    const done = await until(
      async () => {
        const r = await em().findOneOrFail(Refund, refund.id);
        return r.status === 'succeeded' ? r : null;
      },
      { what: 'the retried refund', timeoutMs: 60_000 },
    );
    expect(done.gatewayRefundId).toMatch(/^sbr_/);
    expect(await em().findOneOrFail(Order, paidOrder.id)).toMatchObject({ status: 'refunded', refundedMinor: 2500 });
  });

  it('expires abandoned checkouts when the cron task runs', async () => {
    const p = await product();
    const stale = await pendingOrder(p, { expiresAt: new Date(Date.now() - 1000) });
    await em().transactional((tem) => addJob(tem, { task: 'expire_pending_orders', payload: {} }));
    await until(async () => (await em().findOneOrFail(PendingOrder, stale.id)).status === 'expired', {
      what: 'expiry',
    });
  });
});
