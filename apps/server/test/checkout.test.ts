import { randomUUID } from 'node:crypto';
import type { UserRole } from '@handover/contracts';
import {
  DriverRegistry,
  hashPassword,
  passwordCostFromLog2,
  retryDeferredPaymentEvent,
  submitGatewayRefund,
  systemClock,
} from '@handover/core';
import {
  AdminAlert,
  FulfillmentRecord,
  Order,
  Payment,
  PaymentEvent,
  PendingOrder,
  Product,
  Refund,
  Subscription,
  User,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { createM365DomainAdapter, manualAdapter, PlugsaasClient } from '@handover/integrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, errorOf } from './harness';
import { type PaymentStack, startPaymentStack, until } from './paymentStack';

const PASSWORD = 'correct horse battery';

describe('checkout through the gateways, to the order', () => {
  const db = useTestDatabase({ poolMax: 8 });
  const em = () => db.orm.em.fork();
  let stack: PaymentStack;
  let setup: Product;

  beforeAll(async () => {
    stack = await startPaymentStack({
      orm: db.orm,
      databaseUrl: db.url,
      clock: systemClock,
      // Checkout only reads the driver's schemas and split; nothing here reaches PlugSaaS.
      drivers: [
        manualAdapter,
        createM365DomainAdapter(new PlugsaasClient({ baseUrl: 'http://127.0.0.1:9/plugsaas', apiKey: 'unused-key' })),
      ],
    });
    setup = await product({ slug: 'managed-setup' });
  });
  afterAll(() => stack?.close());

  async function product(overrides: Partial<Product> & { slug: string }): Promise<Product> {
    const created = em().create(Product, {
      name: 'Managed email setup',
      priceMinor: 14900,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'ops', slaHours: 24, instructions: 'Configure the mail setup.' },
      enabledPaymentGateways: ['sandbox', 'stripe', 'dodo', 'paypal', 'wallet'],
      defaultPaymentGateway: 'sandbox',
      ...overrides,
    });
    await em().persistAndFlush(created);
    return created;
  }

  async function signedIn(role: UserRole, email = `${role}-${randomUUID().slice(0, 6)}@example.com`) {
    const user = em().create(User, {
      email,
      role,
      passwordHash: await hashPassword(PASSWORD, passwordCostFromLog2(10)),
      emailVerifiedAt: new Date(),
    });
    await em().persistAndFlush(user);
    const b = browser(stack.base);
    await b.api.auth.signIn.mutate({ email, password: PASSWORD });
    return { ...b, user };
  }

  const guest = () => browser(stack.base).api;
  const paid = (api: ReturnType<typeof guest>, pendingOrderId: string) =>
    until(
      async () => {
        const status = await api.checkout.status.query({ pendingOrderId });
        return status.status === 'paid' ? status : null;
      },
      { what: `checkout ${pendingOrderId} paid` },
    );
  const fulfillJobs = async (orderId: string) => {
    const [row] = await em().execute<{ n: number }[]>(
      `select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier = 'fulfill' and (j.payload->>'recordId')::uuid in (select id from fulfillment_records where order_id = ?)`,
      [orderId],
    );
    return row?.n;
  };
  const form = (overrides: Record<string, unknown> = {}) => ({
    email: 'Guest.Buyer@Example.com',
    items: [{ productId: setup.id, input: { notes: 'two mailboxes' } }],
    ...overrides,
  });

  it('takes a guest from the order form to the sandbox page and, once paid, to an order with its jobs', async () => {
    const api = guest();
    const started = await api.checkout.create.mutate(form({ gateway: 'sandbox' }));
    expect(started).toMatchObject({ gateway: 'sandbox', orderCode: null });
    expect(started.redirectUrl).toMatch(/\/sandbox-gateway\/checkout\/sbs_/);
    expect(await api.checkout.status.query({ pendingOrderId: started.pendingOrderId })).toMatchObject({
      status: 'pending_payment',
      amountMinor: 14900,
      orderCode: null,
    });

    const pay = await stack.clickButton(started.redirectUrl, 'Pay');
    expect(pay.headers.get('location')).toBe(
      `http://portal.test:5173/checkout/complete?pending=${started.pendingOrderId}`,
    );
    const status = await paid(api, started.pendingOrderId);
    const order = await em().findOneOrFail(Order, { orderCode: status.orderCode ?? '' }, { populate: ['user'] });
    expect(order).toMatchObject({ status: 'paid', paymentGateway: 'sandbox', amountMinor: 14900 });
    expect(order.user).toMatchObject({ email: 'guest.buyer@example.com', passwordHash: null });
    expect(await fulfillJobs(order.id)).toBe(1);
  });

  it("attaches a signed-in customer's Stripe order to their account", async () => {
    const customer = await signedIn('customer');
    const started = await customer.api.checkout.create.mutate(
      form({ email: 'contact@example.com', gateway: 'stripe' }),
    );
    expect(started.redirectUrl).toMatch(/\/stripe\/checkout\/cs_test_/);
    const pending = await em().findOneOrFail(PendingOrder, started.pendingOrderId);
    expect(pending.gatewaySessionId).toMatch(/^cs_test_/);

    await stack.clickButton(started.redirectUrl, 'Pay');
    const status = await paid(customer.api, started.pendingOrderId);
    const order = await em().findOneOrFail(Order, { orderCode: status.orderCode ?? '' });
    expect(order.user.id).toBe(customer.user.id);
    expect(order.paymentReference).toMatch(/^pi_/);
    const mine = await customer.api.orders.mine.query();
    expect(mine.map((o) => [o.orderCode, o.isTest])).toContainEqual([order.orderCode, false]);
  });

  it('pays through Dodo Payments too', async () => {
    const api = guest();
    const started = await api.checkout.create.mutate(form({ gateway: 'dodo' }));
    await stack.clickButton(started.redirectUrl, 'Pay');
    const status = await paid(api, started.pendingOrderId);
    expect(await em().findOneOrFail(Order, { orderCode: status.orderCode ?? '' })).toMatchObject({
      paymentGateway: 'dodo',
      paymentReference: expect.stringMatching(/^pay_/),
    });
  });

  it('shows a declined attempt while the checkout stays open, then the payment', async () => {
    const api = guest();
    const started = await api.checkout.create.mutate(form());
    await stack.clickButton(started.redirectUrl, 'Fail');
    await until(
      async () => (await api.checkout.status.query({ pendingOrderId: started.pendingOrderId })).lastPaymentError,
      {
        what: 'the decline',
      },
    );
    await stack.clickButton(started.redirectUrl, 'Pay');
    expect(await paid(api, started.pendingOrderId)).toMatchObject({ lastPaymentError: null });
  });

  it('marks a checkout the gateway closed unpaid as expired', async () => {
    const api = guest();
    const started = await api.checkout.create.mutate(form());
    const session = (await em().findOneOrFail(PendingOrder, started.pendingOrderId)).gatewaySessionId;
    expect((await stack.control(`/sandbox-gateway/_sandbox/sessions/${session}/expire`)).status).toBe(204);
    await until(
      async () => (await api.checkout.status.query({ pendingOrderId: started.pendingOrderId })).status === 'expired',
      { what: 'expiry' },
    );
  });

  it('checks the form: prices from the product, driver input, enabled gateways, one currency', async () => {
    const api = guest();
    const tampered = await api.checkout.create.mutate({
      ...form(),
      items: [{ productId: setup.id, input: {}, unitPriceMinor: 1 } as never],
    });
    expect((await em().findOneOrFail(PendingOrder, tampered.pendingOrderId)).amountMinor).toBe(14900);

    const badInput = await errorOf(
      api.checkout.create.mutate(form({ items: [{ productId: setup.id, input: { notes: 7 } }] })),
    );
    expect(badInput.code).toBe('BAD_REQUEST');
    const ghs = await product({
      slug: 'bundle',
      currency: 'GHS',
      priceMinor: 500,
      enabledPaymentGateways: ['sandbox'],
    });
    const walletOnly = await product({
      slug: 'wallet-only',
      enabledPaymentGateways: ['wallet'],
      defaultPaymentGateway: 'wallet',
    });
    const mixed = await errorOf(
      api.checkout.create.mutate(form({ items: [{ productId: setup.id }, { productId: ghs.id }] })),
    );
    expect(mixed.message).toBe('Some items of the order need attention.');
    const notEnabled = await errorOf(
      api.checkout.create.mutate(form({ items: [{ productId: ghs.id }], gateway: 'stripe' })),
    );
    expect(notEnabled).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Managed email setup cannot be paid with Card (Stripe).',
    });
    const guestWallet = await errorOf(api.checkout.create.mutate(form({ items: [{ productId: walletOnly.id }] })));
    expect(guestWallet.message).toBe('None of the ways to pay for this order is available right now.');
  });

  it('prices a Microsoft 365 line per domain, and refuses it in quantity (the same domains twice)', async () => {
    const m365 = await product({
      slug: 'm365-checkout',
      name: 'Microsoft 365 email domain',
      priceMinor: 4900,
      deliveryModel: 'domain_provisioning',
      fulfillmentDriver: 'm365-domain',
      fulfillmentConfig: { inventoryPool: 'microsoft-365' },
    });
    const input = {
      email: 'ama@example.com',
      phone: '+233 24 123 4567',
      domains: ['ama-one.com', 'ama-two.com', 'ama-three.com'].map((domain) => ({
        domain,
        forwardingUrl: 'https://example.com',
        names: ['Ama'],
      })),
    };
    const started = await guest().checkout.create.mutate(form({ items: [{ productId: m365.id, input }] }));
    expect(await em().findOneOrFail(PendingOrder, started.pendingOrderId)).toMatchObject({
      amountMinor: 3 * 4900,
      items: [{ quantity: 1, unitPriceMinor: 3 * 4900 }],
    });
    const twice = await errorOf(
      guest().checkout.create.mutate(form({ items: [{ productId: m365.id, quantity: 2, input }] })),
    );
    expect(twice.fieldErrors).toMatchObject({
      'items.0.quantity': ['Order Microsoft 365 email domain once, with every part in the same form.'],
    });
  });

  it('refunds, with the reason, a payment for a domain that another paid order took between checkout and payment', async () => {
    const m365 = await product({
      slug: 'm365-race',
      name: 'Microsoft 365 email domain',
      priceMinor: 4900,
      deliveryModel: 'domain_provisioning',
      fulfillmentDriver: 'm365-domain',
      fulfillmentConfig: { inventoryPool: 'microsoft-365' },
    });
    const input = {
      email: 'kofi@example.com',
      phone: '+233 24 765 4321',
      domains: [{ domain: 'kofi-race.com', forwardingUrl: 'https://example.com', names: ['Kofi'] }],
    };
    const items = [{ productId: m365.id, input }];
    // Both pass checkout: neither has been paid, so the domain is free for each.
    const first = await guest().checkout.create.mutate(form({ email: 'first@example.com', items }));
    const second = await guest().checkout.create.mutate(form({ email: 'second@example.com', items }));

    await stack.clickButton(first.redirectUrl, 'Pay');
    await paid(guest(), first.pendingOrderId);
    await stack.clickButton(second.redirectUrl, 'Pay');
    const status = await paid(guest(), second.pendingOrderId);

    const refused = await em().findOneOrFail(Order, { orderCode: status.orderCode ?? '' });
    expect(refused).toMatchObject({ status: 'cancelled', fulfillmentStatus: 'cancelled' });
    expect(refused.fulfillmentError).toContain('kofi-race.com');
    expect(await em().count(FulfillmentRecord, { order: refused.id })).toBe(0);
    const refund = await em().findOneOrFail(Refund, { order: refused.id });
    expect(refund).toMatchObject({ status: 'pending', amountMinor: 4900, destination: 'gateway' });
    const [job] = await em().execute<{ n: number }[]>(
      `select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier = 'refund_payment' and j.payload->>'refundId' = ?`,
      [refund.id],
    );
    expect(job?.n).toBe(1);
    const [email] = await em().execute<{ recipient: string; subject: string; body: string }[]>(
      `select recipient, subject, body from outbox where template = 'order_refused' and data->>'orderId' = ?`,
      [refused.id],
    );
    expect(email).toMatchObject({
      recipient: 'second@example.com',
      subject: `Order ${refused.orderCode} could not be accepted: your payment is being refunded`,
    });
    expect(email?.body).toContain('kofi-race.com');
    expect(email?.body).toContain('http://portal.test:5173/orders/');

    // What the worker's refund_payment does: the gateway refunds it, and its webhook completes it.
    await submitGatewayRefund(
      { em: db.orm.em, gateways: stack.gateways, registry: new DriverRegistry([manualAdapter]), clock: systemClock },
      refund.id,
      { onTransient: 'throw' },
    );
    await until(async () => (await em().findOneOrFail(Order, refused.id)).status === 'refunded' || null, {
      what: 'the refused order refunded',
    });
  });

  it('tops up the wallet through a gateway, then pays an order from it at once', async () => {
    const customer = await signedIn('customer');
    const topUp = await customer.api.wallet.topUp.mutate({ amountMinor: 20000, currency: 'USD', gateway: 'sandbox' });
    await stack.clickButton(topUp.redirectUrl, 'Pay');
    await until(async () => (await customer.api.wallet.balance.query())[0]?.balanceMinor === 20000, { what: 'top-up' });

    const bought = await customer.api.checkout.create.mutate(form({ email: customer.user.email, gateway: 'wallet' }));
    expect(bought).toMatchObject({ gateway: 'wallet', orderCode: expect.stringMatching(/^HO-/) });
    expect(bought.redirectUrl).toBe(`http://portal.test:5173/orders/${bought.orderCode}`);
    expect(await customer.api.wallet.balance.query()).toEqual([{ currency: 'USD', balanceMinor: 5100 }]);
    const ledger = await customer.api.wallet.ledger.query({});
    expect(ledger.map((entry) => [entry.reason, entry.amountMinor, entry.balanceAfterMinor])).toEqual([
      ['purchase', -14900, 5100],
      ['top_up', 20000, 20000],
    ]);
    const short = await errorOf(
      customer.api.checkout.create.mutate(form({ email: customer.user.email, gateway: 'wallet' })),
    );
    expect(short.message).toMatch(/^Your wallet holds 51\.00 USD; this costs 149\.00 USD/);
  });

  it('refunds for finance: partial then the rest, reconciled once with the gateway’s webhooks', async () => {
    const api = guest();
    const started = await api.checkout.create.mutate(form({ gateway: 'stripe' }));
    await stack.clickButton(started.redirectUrl, 'Pay');
    const { orderCode } = await paid(api, started.pendingOrderId);
    const order = await em().findOneOrFail(Order, { orderCode: orderCode ?? '' });

    const customer = await signedIn('customer');
    const ops = await signedIn('ops');
    const finance = await signedIn('finance');
    const ask = { orderId: order.id, amountMinor: 4900, reason: 'one mailbox was not needed' };
    expect((await errorOf(customer.api.payments.refund.mutate(ask))).code).toBe('FORBIDDEN');
    expect((await errorOf(ops.api.payments.refund.mutate(ask))).code).toBe('FORBIDDEN');

    const partial = await finance.api.payments.refund.mutate(ask);
    expect(partial).toMatchObject({
      status: 'succeeded',
      destination: 'gateway',
      amountMinor: 4900,
      cancelFulfillment: false,
    });
    expect(partial.gatewayRefundId).toMatch(/^re_/);
    expect(await em().findOneOrFail(Order, order.id)).toMatchObject({
      status: 'partially_refunded',
      refundedMinor: 4900,
    });

    const rest = await finance.api.payments.refund.mutate({ orderId: order.id, reason: 'order cancelled' });
    expect(rest).toMatchObject({ status: 'succeeded', amountMinor: 10000, cancelFulfillment: true });
    // Stripe reports each refund by webhook as well; they must not count twice.
    await until(
      async () =>
        (await em().count(PaymentEvent, { gateway: 'stripe', type: 'refund.succeeded', status: 'ignored' })) >= 2,
      { what: 'the refund webhooks' },
    );
    expect(await em().findOneOrFail(Order, order.id)).toMatchObject({ status: 'refunded', refundedMinor: 14900 });
    expect(await em().findOneOrFail(Payment, { order: order.id })).toMatchObject({
      status: 'refunded',
      refundedMinor: 14900,
    });
    expect(await em().count(Refund, { order: order.id })).toBe(2);
    expect(await em().count(FulfillmentRecord, { order: order.id, status: 'cancelled' })).toBe(1);

    const money = await ops.api.payments.forOrder.query({ orderId: order.id });
    expect(money.payments).toHaveLength(1);
    expect(money.refunds.map((r) => r.amountMinor)).toEqual([4900, 10000]);
  });

  it("counts our refund once, whether the gateway's webhook arrives before or after it has its gateway id", async () => {
    const api = guest();
    const started = await api.checkout.create.mutate(form({ gateway: 'sandbox' }));
    await stack.clickButton(started.redirectUrl, 'Pay');
    const { orderCode } = await paid(api, started.pendingOrderId);
    const order = await em().findOneOrFail(Order, { orderCode: orderCode ?? '' });
    // The sandbox gateway announces a refund before its API call has returned: the event may find
    // our refund still without its gateway id, and is then deferred for a later look.
    const finance = await signedIn('finance');
    const refund = await finance.api.payments.refund.mutate({
      orderId: order.id,
      amountMinor: 900,
      reason: 'goodwill',
    });
    expect(refund.status).toBe('succeeded');
    const event = await until(
      async () => em().findOne(PaymentEvent, { gateway: 'sandbox', type: 'refund.succeeded', orderId: order.id }),
      { what: 'the refund event' },
    );
    if (event.status === 'deferred') {
      await retryDeferredPaymentEvent(
        { em: db.orm.em, gateways: stack.gateways, registry: new DriverRegistry([manualAdapter]), clock: systemClock },
        event.id,
      );
    }
    expect(await em().findOneOrFail(PaymentEvent, event.id)).toMatchObject({ status: 'ignored' });
    expect(await em().findOneOrFail(Order, order.id)).toMatchObject({
      status: 'partially_refunded',
      refundedMinor: 900,
    });
    expect(await em().count(Refund, { order: order.id })).toBe(1);
  });

  it('records a refund made at the gateway itself (its dashboard), from its webhook', async () => {
    const api = guest();
    const started = await api.checkout.create.mutate(form({ gateway: 'sandbox' }));
    await stack.clickButton(started.redirectUrl, 'Pay');
    const { orderCode } = await paid(api, started.pendingOrderId);
    const order = await em().findOneOrFail(Order, { orderCode: orderCode ?? '' });
    await stack.gateways.sandbox?.refund({
      paymentId: order.paymentReference ?? '',
      amountMinor: 14900,
      currency: 'USD',
      idempotencyKey: randomUUID(),
    });
    await until(async () => (await em().findOneOrFail(Order, order.id)).status === 'refunded', { what: 'the refund' });
    expect(await em().findOneOrFail(Refund, { order: order.id })).toMatchObject({
      status: 'succeeded',
      requestedBy: null,
      reason: 'Refunded at sandbox',
      gatewayRefundId: expect.stringMatching(/^sbr_/),
    });
  });

  it('starts a subscription, records its renewal, and ends it when the gateway cancels', async () => {
    const monthly = await product({ slug: 'monthly', isRecurring: true, billingInterval: 'month', priceMinor: 1900 });
    const api = guest();
    const started = await api.checkout.create.mutate(form({ items: [{ productId: monthly.id }] }));
    await stack.clickButton(started.redirectUrl, 'Pay');
    const { orderCode } = await paid(api, started.pendingOrderId);
    const order = await em().findOneOrFail(Order, { orderCode: orderCode ?? '' });
    const subscription = await em().findOneOrFail(Subscription, { order: order.id });

    await stack.control(`/sandbox-gateway/_sandbox/subscriptions/${subscription.gatewaySubscriptionId}/renew`);
    await until(async () => (await em().count(Payment, { order: order.id, purpose: 'renewal' })) === 1, {
      what: 'renewal',
    });
    await stack.control(`/sandbox-gateway/_sandbox/subscriptions/${subscription.gatewaySubscriptionId}/cancel`);
    await until(async () => (await em().findOneOrFail(Subscription, subscription.id)).status === 'cancelled', {
      what: 'cancellation',
    });
    // The manual driver cannot suspend; the queued record stops instead.
    expect(await em().count(FulfillmentRecord, { order: order.id, status: 'cancelled' })).toBe(1);
    expect(await em().count(AdminAlert, { type: 'subscription_ended', subjectId: order.id })).toBe(0);
  });

  it('creates test orders for ops and admins only, marked as tests', async () => {
    const ops = await signedIn('ops');
    const created = await ops.api.testOrders.create.mutate({
      items: [{ productId: setup.id, input: { notes: 'trial' } }],
    });
    expect(await em().findOneOrFail(Order, created.orderId)).toMatchObject({ isTest: true, amountMinor: 0 });
    expect(await em().count(FulfillmentRecord, { order: created.orderId, isTest: true })).toBe(1);
    const customer = await signedIn('customer');
    const finance = await signedIn('finance');
    const attempt = { items: [{ productId: setup.id }] };
    expect((await errorOf(customer.api.testOrders.create.mutate(attempt))).code).toBe('FORBIDDEN');
    expect((await errorOf(finance.api.testOrders.create.mutate(attempt))).code).toBe('FORBIDDEN');
    const refund = await errorOf(
      (await signedIn('admin')).api.payments.refund.mutate({ orderId: created.orderId, reason: 'test order' }),
    );
    expect(refund.message).toBe('A test order took no payment: there is nothing to refund.');
  });
});
