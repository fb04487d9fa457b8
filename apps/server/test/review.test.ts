import { randomUUID } from 'node:crypto';
import type { ServiceRules, UserRole } from '@handover/contracts';
import { hashPassword, passwordCostFromLog2, systemClock } from '@handover/core';
import {
  ActivityLog,
  FulfillmentRecord,
  Order,
  OutboxMessage,
  Payment,
  PendingOrder,
  Product,
  Refund,
  User,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { manualAdapter } from '@handover/integrations';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, errorOf } from './harness';
import { type PaymentStack, startPaymentStack, until } from './paymentStack';

const PASSWORD = 'correct horse battery';
const HOME_INTERNET: Partial<ServiceRules> = {
  serviceKind: 'home_internet',
  onePerAccount: true,
  oneServicePerOrder: true,
  billingAddressIsServiceAddress: true,
  requiredProfile: ['customerNumber'],
};
const ADDRESS = { line1: '1 High Street', city: 'London', postalCode: 'SW1A 1AA', country: 'GB' };

describe('seed 004 at checkout and in review: service rules, one service per order, approve and reject', () => {
  const db = useTestDatabase({ poolMax: 8 });
  const em = () => db.orm.em.fork();
  let stack: PaymentStack;
  let internet: Product;
  let esim: Product;
  let adult: Product;

  beforeAll(async () => {
    stack = await startPaymentStack({ orm: db.orm, databaseUrl: db.url, clock: systemClock, drivers: [manualAdapter] });
    internet = await product({ slug: 'home-fibre', name: 'Home fibre', serviceRules: HOME_INTERNET });
    esim = await product({
      slug: 'travel-esim',
      name: 'Travel eSIM',
      serviceRules: { oneServicePerOrder: true },
      priceMinor: 1800,
    });
    adult = await product({ slug: 'adult-line', name: 'Contract line', serviceRules: { minimumAge: 18 } });
  });
  afterAll(() => stack?.close());

  async function product(overrides: Partial<Product> & { slug: string }): Promise<Product> {
    const created = em().create(Product, {
      name: overrides.name ?? overrides.slug,
      priceMinor: 3900,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'installs', slaHours: 24, instructions: 'Install it.' },
      enabledPaymentGateways: ['sandbox'],
      defaultPaymentGateway: 'sandbox',
      requiresReview: true,
      ...overrides,
    });
    await em().persistAndFlush(created);
    return created;
  }

  async function signedIn(role: UserRole, profile: Partial<User> = {}) {
    const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
    const user = em().create(User, {
      email,
      role,
      passwordHash: await hashPassword(PASSWORD, passwordCostFromLog2(10)),
      emailVerifiedAt: new Date(),
      ...profile,
    });
    await em().persistAndFlush(user);
    const b = browser(stack.base);
    await b.api.auth.signIn.mutate({ email, password: PASSWORD });
    return { ...b, user, email };
  }

  type Api = Awaited<ReturnType<typeof signedIn>>['api'];
  const payFor = async (api: Api, started: { pendingOrderId: string; redirectUrl: string }) => {
    await stack.clickButton(started.redirectUrl, 'Pay');
    const status = await until(async () => {
      const s = await api.checkout.status.query({ pendingOrderId: started.pendingOrderId });
      return s.orderCode ? s : null;
    });
    return em().findOneOrFail(Order, { orderCode: status.orderCode ?? '' });
  };
  const buyInternet = (api: Api, email: string, extra: Record<string, unknown> = {}) =>
    api.checkout.create.mutate({
      email,
      items: [{ productId: internet.id, input: { notes: 'ground floor' } }],
      gateway: 'sandbox',
      ...extra,
    });

  it('asks for the profile fields and address home Internet needs, captures the address once and snapshots it on the order', async () => {
    const guest = browser(stack.base).api;
    expect(await errorOf(buyInternet(guest, 'guest@example.com'))).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'Sign in to order Home fibre: it is tied to your account.',
    });

    const customer = await signedIn('customer');
    expect(await errorOf(buyInternet(customer.api, customer.email))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: {
        'profile.customerNumber': ['Add your customer number to your account to order Home fibre'],
        'billingAddress.line1': ['Enter the address of the service: it is also your billing address'],
      },
    });
    await customer.api.auth.updateProfile.mutate({ customerNumber: 'sf-00042' });
    // Checked with the shared schema before anything is saved.
    const wrongPostcode = await errorOf(
      buyInternet(customer.api, customer.email, { billingAddress: { ...ADDRESS, postalCode: '12345' } }),
    );
    expect(wrongPostcode).toMatchObject({ code: 'BAD_REQUEST' });
    expect(JSON.stringify(wrongPostcode)).toContain('Enter a postal code such as SW1A 1AA');

    const started = await buyInternet(customer.api, customer.email, { billingAddress: ADDRESS });
    const order = await payFor(customer.api, started);
    const address = { ...ADDRESS, line2: '', region: '' };
    expect(order).toMatchObject({ status: 'pending_review', serviceKind: 'home_internet', billingAddress: address });
    expect(await customer.api.auth.profile.query()).toMatchObject({ customerNumber: 'SF-00042', address });

    // A later change to the profile leaves the order's snapshot as it was.
    await customer.api.auth.updateProfile.mutate({ address: { ...ADDRESS, line1: '2 Low Road' } });
    expect((await em().findOneOrFail(Order, order.id)).billingAddress).toEqual(address);
  });

  it('refuses a second home Internet service with 409 and a link to manage the first; the catalog knows it', async () => {
    const customer = await signedIn('customer', {
      customerNumber: 'SF-7',
      address: { ...ADDRESS, line2: '', region: '' },
    });
    const first = await payFor(customer.api, await buyInternet(customer.api, customer.email));

    const again = buyInternet(customer.api, customer.email);
    const refused = await again.catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCClientError);
    const data = (refused as TRPCClientError<never>).data as unknown as {
      httpStatus: number;
      links: Record<string, string>;
    };
    expect(data).toMatchObject({ httpStatus: 409, links: { manage: `/orders/${first.orderCode}` } });
    expect((refused as Error).message).toBe(
      `You already have Home fibre (order ${first.orderCode}): one per account. Manage or upgrade it instead.`,
    );
    expect(await customer.api.catalog.myServices.query()).toEqual([
      { serviceKind: 'home_internet', orderCode: first.orderCode, manageUrl: `/orders/${first.orderCode}` },
    ]);
    // Two in one cart are refused too.
    expect(
      await errorOf(
        customer.api.checkout.create.mutate({
          email: customer.email,
          items: [{ productId: internet.id, quantity: 2 }],
          gateway: 'sandbox',
        }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { 'items.0.quantity': ['You can have one Home fibre; order one.'] },
    });
  });

  it('refuses at payment a second home Internet whose checkout began before the first was paid: cancelled, refunded, the customer told', async () => {
    const customer = await signedIn('customer', {
      customerNumber: 'SF-8',
      address: { ...ADDRESS, line2: '', region: '' },
    });
    // Both checkouts pass: neither is paid yet.
    const one = await buyInternet(customer.api, customer.email);
    const two = await buyInternet(customer.api, customer.email);
    const first = await payFor(customer.api, one);
    expect(first.status).toBe('pending_review');
    const second = await payFor(customer.api, two);
    const why = `You already have Home fibre (order ${first.orderCode}): one per account. Manage or upgrade it instead.`;
    expect(second).toMatchObject({ status: 'cancelled', fulfillmentStatus: 'cancelled', fulfillmentError: why });
    expect(await em().count(FulfillmentRecord, { order: second.id })).toBe(0);
    expect(await em().find(Refund, { order: second.id })).toEqual([
      expect.objectContaining({ amountMinor: second.amountMinor, destination: 'gateway' }),
    ]);
    expect(
      await em().findOneOrFail(OutboxMessage, { recipient: customer.email, template: 'order_refused' }),
    ).toBeTruthy();
    // The first is still the one to manage.
    expect(await customer.api.catalog.myServices.query()).toEqual([
      { serviceKind: 'home_internet', orderCode: first.orderCode, manageUrl: `/orders/${first.orderCode}` },
    ]);
  });

  it('checks the age a product requires against the date of birth', async () => {
    const young = await signedIn('customer', { dateOfBirth: '2015-06-01' });
    const order = (api: Api, email: string) =>
      api.checkout.create.mutate({ email, items: [{ productId: adult.id }], gateway: 'sandbox' });
    expect(await errorOf(order(young.api, young.email))).toMatchObject({
      fieldErrors: { 'profile.dateOfBirth': ['You must be 18 or older to order Contract line'] },
    });
    const grown = await signedIn('customer', { dateOfBirth: '1990-06-01' });
    expect((await order(grown.api, grown.email)).redirectUrl).toMatch(/sandbox-gateway/);
  });

  it('turns a cart with two services into two orders, each paid and reviewed on its own', async () => {
    const customer = await signedIn('customer');
    const started = await customer.api.checkout.create.mutate({
      email: customer.email,
      items: [{ productId: esim.id, quantity: 2 }],
      gateway: 'sandbox',
    });
    expect(started.next).toEqual([
      expect.objectContaining({ productName: 'Travel eSIM', amountMinor: 1800, currency: 'USD', orderCode: null }),
    ]);
    const pendings = await em().find(PendingOrder, { user: customer.user.id }, { orderBy: { createdAt: 'asc' } });
    expect(pendings.map((p) => [p.amountMinor, p.items.map((line) => line.quantity)])).toEqual([
      [1800, [1]],
      [1800, [1]],
    ]);
    expect(pendings[0]?.groupId).toBeTruthy();
    expect(pendings[1]?.groupId).toBe(pendings[0]?.groupId);

    const first = await payFor(customer.api, started);
    const status = await customer.api.checkout.status.query({ pendingOrderId: started.pendingOrderId });
    expect(status.siblings).toEqual([
      expect.objectContaining({ pendingOrderId: started.next?.[0]?.pendingOrderId, status: 'pending_payment' }),
    ]);
    const next = await customer.api.checkout.continue.mutate({
      pendingOrderId: started.next?.[0]?.pendingOrderId ?? '',
    });
    const second = await payFor(customer.api, next);
    for (const order of [first, second]) {
      expect(order).toMatchObject({ status: 'pending_review', amountMinor: 1800 });
      expect(await em().count(Payment, { order: order.id })).toBe(1);
      expect(await em().count(FulfillmentRecord, { order: order.id })).toBe(1);
    }
    expect(
      await errorOf(customer.api.checkout.continue.mutate({ pendingOrderId: started.next?.[0]?.pendingOrderId ?? '' })),
    ).toMatchObject({ code: 'CONFLICT', message: 'This part of your order is paid already.' });
  });

  it('rejects with a reason: records cancelled, the payment refunded through the gateway, the customer told, the operator logged', async () => {
    const customer = await signedIn('customer');
    const order = await payFor(
      customer.api,
      await customer.api.checkout.create.mutate({
        email: customer.email,
        items: [{ productId: esim.id }],
        gateway: 'sandbox',
      }),
    );
    const ops = await signedIn('ops');
    const finance = await signedIn('finance');
    expect(
      await errorOf(finance.api.backOffice.review.reject.mutate({ orderId: order.id, reason: 'nope' })),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    const queue = await ops.api.backOffice.review.queue.query();
    const row = queue.find((item) => item.id === order.id);
    expect(row).toMatchObject({
      orderCode: order.orderCode,
      customer: { email: customer.email },
      items: [expect.objectContaining({ productName: 'Travel eSIM', quantity: 1 })],
      history: expect.objectContaining({ orders: expect.any(Number) }),
    });

    const rejected = await ops.api.backOffice.review.reject.mutate({
      orderId: order.id,
      reason: 'We do not cover that region yet',
    });
    expect(rejected.refunds).toEqual([expect.objectContaining({ amountMinor: 1800, destination: 'gateway' })]);
    const refunded = await until(async () => {
      const found = await em().findOneOrFail(Order, order.id);
      return found.status === 'refunded' ? found : null;
    });
    expect(refunded).toMatchObject({
      reviewDecision: 'rejected',
      reviewedBy: ops.email,
      reviewReason: 'We do not cover that region yet',
      refundedMinor: 1800,
    });
    expect(await em().findOneOrFail(Refund, { order: order.id })).toMatchObject({ status: 'succeeded' });
    expect((await em().findOneOrFail(FulfillmentRecord, { order: order.id })).status).toBe('cancelled');
    const told = await em().findOneOrFail(OutboxMessage, { recipient: customer.email, template: 'order_rejected' });
    expect(told.body).toContain('Why: We do not cover that region yet');
    expect(told.body).toContain('We are refunding 18.00 USD');
    expect(await em().findOneOrFail(ActivityLog, { action: 'order.rejected', subjectId: order.id })).toMatchObject({
      actorType: 'user',
      actorId: ops.user.id,
    });
    const mine = await customer.api.orders.byId.query({ id: order.id });
    expect(mine.review).toMatchObject({ state: 'rejected', reason: 'We do not cover that region yet' });
    expect(mine.activation).toBeNull();
    // Decided once: approving it now is refused.
    expect(await errorOf(ops.api.backOffice.review.approve.mutate({ orderId: order.id }))).toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('approves with an activation date in an explicit zone; the portal says "Awaiting review", then the decision and activation', async () => {
    const customer = await signedIn('customer');
    const order = await payFor(
      customer.api,
      await customer.api.checkout.create.mutate({
        email: customer.email,
        items: [{ productId: esim.id }],
        gateway: 'sandbox',
      }),
    );
    const before = await customer.api.orders.byId.query({ id: order.id });
    expect(before).toMatchObject({ review: { state: 'awaiting' }, activation: null });

    const ops = await signedIn('ops');
    const pastDate = await errorOf(
      ops.api.backOffice.review.approve.mutate({
        orderId: order.id,
        activation: { type: 'scheduled', date: '2020-01-01', time: '09:00', timeZone: 'Europe/London' },
      }),
    );
    expect(pastDate).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { 'activation.date': [expect.any(String)] } });
    const approved = await ops.api.backOffice.review.approve.mutate({
      orderId: order.id,
      activation: { type: 'scheduled', date: '2099-07-01', time: '09:00', timeZone: 'Africa/Accra' },
    });
    expect(approved.activation.at?.toISOString()).toBe('2099-07-01T09:00:00.000Z');
    const after = await customer.api.orders.byId.query({ id: order.id });
    expect(after).toMatchObject({
      review: { state: 'approved' },
      activation: { type: 'scheduled', status: 'not_started', timeZone: 'Africa/Accra' },
    });
    const staff = await ops.api.backOffice.orders.byId.query({ id: order.id });
    expect(staff.review).toMatchObject({ decision: 'approved', decidedBy: ops.email });
    const started = await ops.api.backOffice.review.activateNow.mutate({ orderId: order.id });
    expect(started.startedRecordIds).toHaveLength(1);
    expect(await errorOf(ops.api.backOffice.review.activateNow.mutate({ orderId: order.id }))).toMatchObject({
      code: 'CONFLICT',
    });
    expect((await customer.api.orders.byId.query({ id: order.id })).activation?.status).toBe('activating');
  });
});
