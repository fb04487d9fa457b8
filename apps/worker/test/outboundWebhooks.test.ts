import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEBHOOK_PAYLOADS, type WebhookPayload, webhookPayloadSchema } from '@handover/contracts';
import {
  deliverWebhook,
  hashPassword,
  passwordCostFromLog2,
  SecretBox,
  systemClock,
  WebhookTargetGuard,
} from '@handover/core';
import {
  Notification,
  OutboxMessage,
  Product,
  Subscription,
  User,
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { manualAdapter } from '@handover/integrations';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, errorOf, startServer } from '../../server/test/harness';
import { type PaymentStack, startPaymentStack, until } from '../../server/test/paymentStack';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';

const PASSWORD = 'correct horse battery';
const LOOPBACK = '127.0.0.0/8,::1/128';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** An integrator's endpoint: a real HTTP server on a free port that answers with the statuses it is told to. */
async function receiver(answers: (count: number) => number) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answered = answers(received.length + 1);
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered < 300 ? 'thanks' : 'try later');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function verified(secret: string, request: Received) {
  return new Webhook(secret).verify(request.body, {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  }) as WebhookPayload;
}

describe('outbound webhooks, from a real payment to a real endpoint', () => {
  const db = useTestDatabase({ poolMax: 8 });
  const em = () => db.orm.em.fork();
  let stack: PaymentStack;
  let worker: InProcessWorker;
  let flaky: Awaited<ReturnType<typeof receiver>>;
  let product: Product;

  beforeAll(async () => {
    stack = await startPaymentStack({
      orm: db.orm,
      databaseUrl: db.url,
      clock: systemClock,
      drivers: [manualAdapter],
      env: { WEBHOOK_ALLOWED_PRIVATE_NETWORKS: LOOPBACK },
    });
    worker = await startInProcessWorker(db, [manualAdapter], {
      gateways: stack.gateways,
      env: {
        WEBHOOK_ALLOWED_PRIVATE_NETWORKS: LOOPBACK,
        WEBHOOK_DISPATCH_INTERVAL_MS: '100',
        HANDOVER_ENCRYPTION_KEYS: stack.server.config.HANDOVER_ENCRYPTION_KEYS.map(
          (k) => `${k.id}=${k.key.toString('base64')}`,
        ).join(','),
      },
      webhookRetryDelaysMs: [300, 300],
    });
    // Fails twice, then takes everything.
    flaky = await receiver((count) => (count === 1 ? 500 : count === 2 ? 503 : 200));
    product = em().create(Product, {
      slug: 'managed-setup',
      name: 'Managed email setup',
      priceMinor: 14900,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'ops', slaHours: 24, instructions: 'Configure the mail setup.' },
      enabledPaymentGateways: ['sandbox'],
      defaultPaymentGateway: 'sandbox',
    });
    await em().persistAndFlush(product);
  });
  afterAll(async () => {
    await worker?.stop();
    await stack?.close();
    await flaky?.close();
  });

  async function signedIn(email: string, role: User['role'] = 'customer') {
    const user = em().create(User, {
      email,
      role,
      passwordHash: await hashPassword(PASSWORD, passwordCostFromLog2(10)),
      emailVerifiedAt: new Date(),
    });
    await em().persistAndFlush(user);
    const b = browser(stack.base);
    await b.api.auth.signIn.mutate({ email, password: PASSWORD });
    return b.api;
  }

  it('delivers a paid order, its completion and its refund, each once and signed, after the endpoint failed twice', async () => {
    const customer = await signedIn('integrator@example.com');
    const other = await signedIn('someone-else@example.com');
    const ops = await signedIn('ops@example.com', 'ops');
    const finance = await signedIn('finance@example.com', 'finance');
    const endpoint = await customer.webhooks.create.mutate({
      url: flaky.url,
      description: 'shop site',
      events: ['order.paid', 'fulfillment.completed', 'refund.*'],
    });
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(await customer.webhooks.endpoints.query()).toEqual([
      expect.not.objectContaining({ secret: expect.anything() }),
    ]);
    const bystander = await receiver(() => 200);
    await other.webhooks.create.mutate({ url: bystander.url, events: ['*'] });

    // A real payment through the sandbox gateway: its webhook places the order and raises order.placed.
    const started = await customer.checkout.create.mutate({
      email: 'integrator@example.com',
      gateway: 'sandbox',
      items: [{ productId: product.id, input: { notes: 'two mailboxes' } }],
    });
    await stack.clickButton(started.redirectUrl, 'Pay');
    const paid = await until(async () => {
      const status = await customer.checkout.status.query({ pendingOrderId: started.pendingOrderId });
      return status.orderCode ? status : null;
    });

    const firstOk = await until(async () => flaky.received.find((r) => r.answered === 200), {
      what: 'the order.paid delivery to go through',
    });
    const attempts = flaky.received.filter((r) => r.headers['webhook-id'] === firstOk.headers['webhook-id']);
    expect(attempts.map((r) => r.answered)).toEqual([500, 503, 200]);
    expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
    const paidEvent = verified(endpoint.secret, firstOk);
    expect(WEBHOOK_PAYLOADS['order.paid'].parse(paidEvent)).toMatchObject({
      type: 'order.paid',
      data: { order: { code: paid.orderCode, customerEmail: 'integrator@example.com' }, fulfillmentRecords: 1 },
    });
    expect(firstOk.headers['content-type']).toBe('application/json');

    // The operator finishes the manual task: the record completes, and so does the event.
    const task = await until(async () => (await ops.backOffice.tasks.list.query({ status: 'open' })).items[0]);
    await ops.backOffice.tasks.complete.mutate({ id: task.id, resolution: { note: 'Done by hand' } });
    const completed = await until(async () =>
      flaky.received.find((r) => r.answered === 200 && JSON.parse(r.body).type === 'fulfillment.completed'),
    );
    expect(verified(endpoint.secret, completed)).toMatchObject({
      data: { record: { driver: 'manual', order: { code: paid.orderCode } }, status: 'completed' },
    });

    // Finance refunds it to the wallet: refund.completed.
    const order = await customer.orders.byCode.query({ orderCode: paid.orderCode ?? '' });
    await finance.payments.refund.mutate({ orderId: order.id, toWallet: true, reason: 'customer asked' });
    const refunded = await until(async () =>
      flaky.received.find((r) => r.answered === 200 && JSON.parse(r.body).type === 'refund.completed'),
    );
    expect(verified(endpoint.secret, refunded)).toMatchObject({
      data: {
        refund: { amountMinor: 14900, destination: 'wallet', reason: 'customer asked' },
        orderStatus: 'refunded',
      },
    });

    // Each event went through once: nothing more arrives, and the deliveries say so.
    await new Promise((resolve) => setTimeout(resolve, 800));
    const ok = flaky.received.filter((r) => r.answered === 200).map((r) => JSON.parse(r.body).type);
    expect(ok.sort()).toEqual(['fulfillment.completed', 'order.paid', 'refund.completed']);
    for (const request of flaky.received) webhookPayloadSchema.parse(JSON.parse(request.body));
    const deliveries = await customer.webhooks.deliveries.query({ endpointId: endpoint.id });
    expect(deliveries.items.map((d) => [d.eventType, d.status]).sort()).toEqual([
      ['fulfillment.completed', 'delivered'],
      ['order.paid', 'delivered'],
      ['refund.completed', 'delivered'],
    ]);
    const paidDelivery = deliveries.items.find((d) => d.eventType === 'order.paid');
    const detail = await customer.webhooks.delivery.query({ id: paidDelivery?.id ?? '' });
    expect(detail.attempts).toBe(3);
    expect(detail.history.map((a) => [a.responseStatus, a.responseBody])).toEqual([
      [200, 'thanks'],
      [503, 'try later'],
      [500, 'try later'],
    ]);
    expect(detail.history[0]?.requestHeaders).toMatchObject({ 'webhook-id': detail.messageId });
    // The other customer's endpoint heard nothing of this order.
    expect(bystander.received).toEqual([]);
    await bystander.close();
  });

  it('delivers each step a delivery completes and a subscription’s renewal and end, signed, to an endpoint subscribed to them', async () => {
    const customer = await signedIn('subscriber@example.com');
    const ops = await signedIn('ops-subscriptions@example.com', 'ops');
    const hooks = await receiver(() => 200);
    const endpoint = await customer.webhooks.create.mutate({
      url: hooks.url,
      events: ['fulfillment.step_completed', 'subscription.*'],
    });
    const monthly = em().create(Product, {
      slug: 'managed-setup-monthly',
      name: 'Managed email, monthly',
      priceMinor: 1900,
      currency: 'USD',
      isRecurring: true,
      billingInterval: 'month',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'ops', slaHours: 24, instructions: 'Keep the mail setup running.' },
      enabledPaymentGateways: ['sandbox'],
      defaultPaymentGateway: 'sandbox',
    });
    await em().persistAndFlush(monthly);
    const started = await customer.checkout.create.mutate({
      email: 'subscriber@example.com',
      gateway: 'sandbox',
      items: [{ productId: monthly.id, input: { notes: 'monthly care' } }],
    });
    await stack.clickButton(started.redirectUrl, 'Pay');
    const paid = await until(async () => {
      const status = await customer.checkout.status.query({ pendingOrderId: started.pendingOrderId });
      return status.orderCode ? status : null;
    });
    const received = (type: string) =>
      hooks.received.filter((r) => JSON.parse(r.body).type === type).map((r) => verified(endpoint.secret, r));

    // The operator does the manual step: fulfillment.step_completed, naming the record and step.
    const task = await until(async () =>
      (await ops.backOffice.tasks.list.query({ status: 'open' })).items.find((t) => t.orderCode === paid.orderCode),
    );
    await ops.backOffice.tasks.complete.mutate({ id: task.id, resolution: { note: 'Set up' } });
    const [step] = await until(async () => {
      const found = received('fulfillment.step_completed');
      return found.length ? found : null;
    });
    expect(WEBHOOK_PAYLOADS['fulfillment.step_completed'].parse(step)).toMatchObject({
      data: { record: { driver: 'manual', order: { code: paid.orderCode } }, step: 'perform' },
    });

    // The gateway renews, then ends the subscription: one signed event each.
    const order = await customer.orders.byCode.query({ orderCode: paid.orderCode ?? '' });
    const subscription = await em().findOneOrFail(Subscription, { order: order.id });
    const gatewayId = subscription.gatewaySubscriptionId ?? '';
    await stack.control(`/sandbox-gateway/_sandbox/subscriptions/${gatewayId}/renew`);
    const [renewed] = await until(async () => {
      const found = received('subscription.renewed');
      return found.length ? found : null;
    });
    expect(WEBHOOK_PAYLOADS['subscription.renewed'].parse(renewed)).toMatchObject({
      data: { order: { code: paid.orderCode }, gatewaySubscriptionId: gatewayId, amountMinor: 1900, currency: 'USD' },
    });
    await stack.control(`/sandbox-gateway/_sandbox/subscriptions/${gatewayId}/cancel`);
    const [ended] = await until(async () => {
      const found = received('subscription.ended');
      return found.length ? found : null;
    });
    expect(WEBHOOK_PAYLOADS['subscription.ended'].parse(ended)).toMatchObject({
      data: { order: { code: paid.orderCode }, subscriptionId: subscription.id, gatewaySubscriptionId: gatewayId },
    });

    // Nothing it did not subscribe to, and nothing twice.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(hooks.received.map((r) => JSON.parse(r.body).type).sort()).toEqual([
      'fulfillment.step_completed',
      'subscription.ended',
      'subscription.renewed',
    ]);
    await hooks.close();
  });

  it('signs with both secrets while a rotation overlaps, and redelivers on request', async () => {
    const admin = await signedIn('admin@example.com', 'admin');
    const endpoint = await admin.webhooks.create.mutate({ url: flaky.url, events: ['order.*'] });
    expect(endpoint.allOrders).toBe(true);
    // No order was paid since the endpoint was made: it hears of none from before.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await em().count(WebhookDelivery, { endpoint: endpoint.id })).toBe(0);

    const [past] = await em().find(WebhookDelivery, { eventType: 'order.paid' }, { populate: ['endpoint'] });
    const rotated = await admin.webhooks.rotateSecret.mutate({ id: past?.endpoint.id ?? '', overlapHours: 1 });
    const before = flaky.received.length;
    await admin.webhooks.redeliver.mutate({ id: past?.id ?? '' });
    const again = await until(async () => flaky.received[before]);
    expect(String(again.headers['webhook-id'])).toBe(past?.messageId);
    expect(String(again.headers['webhook-signature']).split(' ')).toHaveLength(2);
    const oldSecret = new SecretBox(stack.server.config.HANDOVER_ENCRYPTION_KEYS).decrypt(
      (await em().findOneOrFail(WebhookEndpoint, past?.endpoint.id ?? '')).previousSecretEncrypted ?? '',
    );
    expect(verified(rotated.secret, again).type).toBe('order.paid');
    expect(verified(oldSecret, again).type).toBe('order.paid');
    await until(async () => (await em().count(WebhookAttempt, { delivery: past?.id, trigger: 'manual' })) === 1);
  });

  it('turns an endpoint off after its deliveries kept failing, and tells its owner', async () => {
    const down = await receiver(() => 502);
    const customer = await signedIn('gone@example.com');
    const endpoint = await customer.webhooks.create.mutate({ url: down.url, events: ['order.paid'] });
    const started = await customer.checkout.create.mutate({
      email: 'gone@example.com',
      gateway: 'sandbox',
      items: [{ productId: product.id, input: {} }],
    });
    await stack.clickButton(started.redirectUrl, 'Pay');
    const off = await until(
      async () => {
        const row = await em().findOneOrFail(WebhookEndpoint, endpoint.id);
        return row.disabledAt ? row : null;
      },
      { what: 'the endpoint turned off' },
    );
    expect(down.received.map((r) => r.answered)).toEqual([502, 502, 502]);
    expect(off.disabledReason).toMatch(/answered 502/);
    const [delivery] = await em().find(WebhookDelivery, { endpoint: endpoint.id });
    expect(delivery).toMatchObject({ status: 'failed', attempts: 3 });
    const owner = await em().findOneOrFail(User, { email: 'gone@example.com' });
    expect(
      await em().findOne(OutboxMessage, { recipient: 'gone@example.com', template: 'webhook_endpoint_disabled' }),
    ).toMatchObject({ subject: 'A webhook endpoint of yours has been turned off' });
    expect(await em().count(Notification, { user: owner.id, type: 'webhook_endpoint_disabled' })).toBe(1);
    const [listed] = await customer.webhooks.endpoints.query();
    expect(listed?.disabledAt).not.toBeNull();

    // Back on, a redelivery goes through once the receiver answers.
    await customer.webhooks.setEnabled.mutate({ id: endpoint.id, enabled: true });
    await down.close();
    const fixed = await receiver(() => 204);
    await customer.webhooks.update.mutate({ id: endpoint.id, url: fixed.url, events: ['order.paid'] });
    await customer.webhooks.redeliver.mutate({ id: delivery?.id ?? '' });
    await until(async () => (await em().findOneOrFail(WebhookDelivery, delivery?.id ?? '')).status === 'delivered');
    expect(fixed.received).toHaveLength(1);
    await fixed.close();
  });
});

describe('outbound webhooks: no private or loopback address unless allowed', () => {
  const db = useTestDatabase();
  let strictServer: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    strictServer = await startServer({ orm: db.orm, databaseUrl: db.url, clock: systemClock });
  });
  afterAll(() => strictServer?.app.close());

  it('refuses to save an endpoint on a private, loopback or link-local address, or plain http', async () => {
    const em = db.orm.em.fork();
    em.create(User, {
      email: 'dev@example.com',
      role: 'customer',
      passwordHash: await hashPassword(PASSWORD, passwordCostFromLog2(10)),
      emailVerifiedAt: new Date(),
    });
    await em.flush();
    const b = browser(strictServer.base);
    await b.api.auth.signIn.mutate({ email: 'dev@example.com', password: PASSWORD });
    for (const [url, reason] of [
      ['http://127.0.0.1:8080/hook', /127\.0\.0\.1 is a private, loopback/],
      ['https://localhost/hook', /localhost resolves to .* loopback/],
      ['https://10.0.0.7/hook', /10\.0\.0\.7 is a private/],
      ['https://169.254.169.254/latest/meta-data', /169\.254\.169\.254 is a private/],
      ['https://[::1]/hook', /::1 is a private/],
      ['http://93.184.216.34/hook', /only https/],
    ] as const) {
      const refused = await errorOf(b.api.webhooks.create.mutate({ url, events: ['order.paid'] }));
      expect(refused).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { url: [expect.stringMatching(reason)] } });
    }
    expect(await em.count(WebhookEndpoint, {})).toBe(0);
  });

  it('refuses at delivery an address not allowed, without a request, even one saved while it was', async () => {
    const target = await receiver(() => 200);
    const box = new SecretBox(strictServer.config.HANDOVER_ENCRYPTION_KEYS);
    const em = db.orm.em.fork();
    const owner = await em.findOneOrFail(User, { email: 'dev@example.com' });
    const make = async (url: string) => {
      const endpoint = em.create(WebhookEndpoint, {
        user: owner,
        url,
        events: ['order.paid'],
        secretEncrypted: box.encrypt('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'),
      });
      const [event] = await em.execute<{ id: string }[]>(
        `insert into domain_events (type, subject_type, subject_id, payload) values ('order.placed', 'order', 'x', '{}') returning id`,
      );
      const delivery = em.create(WebhookDelivery, {
        endpoint,
        event: event?.id ?? '',
        eventType: 'order.paid',
        messageId: `msg_${crypto.randomUUID().replaceAll('-', '')}`,
        payload: { type: 'order.paid' },
      });
      await em.flush();
      return delivery.id;
    };
    const deps = (allowedNetworks: string[]) => ({
      em: db.orm.em,
      clock: systemClock,
      secrets: box,
      guard: new WebhookTargetGuard({ allowedNetworks }),
      retryDelaysMs: [60_000],
      timeoutMs: 2000,
      portalUrl: 'http://portal.test',
    });

    const byAddress = await make(target.url);
    const byName = await make(target.url.replace('127.0.0.1', 'localhost'));
    expect(await deliverWebhook(deps([]), byAddress, 'scheduled')).toBe('retrying');
    expect(await deliverWebhook(deps([]), byName, 'scheduled')).toBe('retrying');
    expect(target.received).toEqual([]);
    const errors = await em.find(
      WebhookAttempt,
      { delivery: { $in: [byAddress, byName] } },
      { orderBy: { id: 'asc' } },
    );
    expect(errors.map((a) => a.error)).toEqual([
      expect.stringMatching(/127\.0\.0\.1 is a private, loopback, link-local or reserved address/),
      expect.stringMatching(/localhost resolves to .*(127\.0\.0\.1|::1) is a private, loopback/),
    ]);

    // Allowed in development: the same delivery goes through.
    expect(await deliverWebhook(deps([LOOPBACK.split(',')[0] ?? '', '::1/128']), byAddress, 'manual')).toBe(
      'delivered',
    );
    expect(target.received).toHaveLength(1);
    await target.close();
  });
});
