import {
  AdminAlert,
  FulfillmentRecord,
  Order,
  OrderItem,
  Payment,
  PaymentEvent,
  PendingOrder,
  Refund,
  Subscription,
  User,
  WalletAccount,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { describe, expect, it } from 'vitest';
import { acceptPaymentEvent, expirePendingOrders } from '../src';
import {
  createCustomer,
  createPendingOrder,
  createProduct,
  gatewayEvent,
  jobsOf,
  line,
  paymentDeps,
} from './paymentFixtures';

describe('the payment inbox and its state machine', () => {
  const db = useTestDatabase();
  const em = () => db.orm.em.fork();
  const deps = () => paymentDeps(db.orm.em);
  const succeeded = (pending: PendingOrder, paymentId = `sbp_${pending.id.slice(0, 8)}`, eventId?: string) =>
    gatewayEvent(
      {
        type: 'payment.succeeded',
        pendingOrderId: pending.id,
        paymentId,
        amountMinor: pending.amountMinor,
        currency: pending.currency,
      },
      eventId,
    );
  const fulfillJobsFor = async (orderId: string) => {
    const records = await em().find(FulfillmentRecord, { order: orderId });
    const jobs = await jobsOf(em(), 'fulfill');
    return jobs.filter((job) => records.some((record) => record.id === job.payload.recordId));
  };

  it('turns a payment into the user, the order, one record and job per item, and a paid pending order', async () => {
    const product = await createProduct(em());
    const pending = await createPendingOrder(em(), [line(product, 2)], { email: 'new.buyer@example.com' });
    const receipt = await acceptPaymentEvent(deps(), succeeded(pending, 'sbp_first'));

    expect(receipt).toMatchObject({ kind: 'accepted', outcome: { status: 'processed', paymentId: 'sbp_first' } });
    const order = await em().findOneOrFail(Order, { pendingOrder: pending.id }, { populate: ['user'] });
    expect(order).toMatchObject({
      status: 'paid',
      fulfillmentStatus: 'pending',
      paymentGateway: 'sandbox',
      paymentReference: 'sbp_first',
      amountMinor: 5000,
      currency: 'USD',
      isTest: false,
      email: 'new.buyer@example.com',
    });
    expect(order.orderCode).toMatch(/^HO-[0-9A-Z]{8}$/);
    expect(order.user).toMatchObject({ email: 'new.buyer@example.com', passwordHash: null, role: 'customer' });
    const items = await em().find(OrderItem, { order: order.id });
    expect(items.map((item) => [item.quantity, item.unitPriceMinor, item.input])).toEqual([
      [1, 2500, { notes: 'please' }],
      [1, 2500, { notes: 'please' }],
    ]);
    expect(await fulfillJobsFor(order.id)).toHaveLength(2);
    expect((await em().findOneOrFail(PendingOrder, pending.id)).status).toBe('paid');
    expect(await em().findOneOrFail(Payment, { gatewayPaymentId: 'sbp_first' })).toMatchObject({
      purpose: 'order',
      amountMinor: 5000,
      status: 'succeeded',
    });
    const row = await em().findOneOrFail(PaymentEvent, { eventId: receipt.kind === 'accepted' ? receipt.eventId : '' });
    expect(row).toMatchObject({
      status: 'processed',
      type: 'payment.succeeded',
      orderId: order.id,
      pendingOrderId: pending.id,
      paymentId: 'sbp_first',
    });
  });

  it('raises payment.received, whose listeners place the order and tell the customer, in the one transaction', async () => {
    const product = await createProduct(em());
    const pending = await createPendingOrder(em(), [line(product)], { email: 'events.buyer@example.com' });
    await acceptPaymentEvent(deps(), succeeded(pending, 'sbp_events'));

    const order = await em().findOneOrFail(Order, { pendingOrder: pending.id });
    const payment = await em().findOneOrFail(Payment, { gatewayPaymentId: 'sbp_events' });
    expect(payment.order?.id).toBe(order.id);
    const events = await em()
      .getConnection()
      .execute<{ type: string; subject_type: string; subject_id: string; payload: Record<string, unknown> }[]>(
        `select type, subject_type, subject_id, payload from domain_events
          where (subject_type = 'payment' and subject_id = ?) or (subject_type = 'order' and subject_id = ?)
          order by created_at, type desc`,
        [payment.id, order.id],
      );
    expect(events.map((event) => event.type)).toEqual(['payment.received', 'order.placed']);
    const [received, placed] = events;
    expect(received?.payload).toMatchObject({
      payment: { id: payment.id, gatewayPaymentId: 'sbp_events', amountMinor: pending.amountMinor },
      checkout: { pendingOrderId: pending.id, purpose: 'order', orderId: order.id, previousStatus: 'pending_payment' },
    });
    // The lines and products listeners read under the lock are not kept in the outbox.
    expect(received?.payload).not.toHaveProperty('basket');
    expect(placed?.payload).toMatchObject({ order: { orderId: order.id }, records: 1, needsReview: false });
    expect(
      await em().getConnection().execute(`select title from notifications where data->>'orderId' = ?`, [order.id]),
    ).toEqual([{ title: `Payment received for order ${order.orderCode}` }]);
  });

  it('changes nothing for a redelivered event: the inbox row is unique on gateway and event id', async () => {
    const product = await createProduct(em());
    const pending = await createPendingOrder(em(), [line(product)]);
    const event = succeeded(pending);
    await acceptPaymentEvent(deps(), event);
    const again = await acceptPaymentEvent(deps(), event);

    expect(again).toEqual({ kind: 'duplicate', eventId: event.eventId });
    expect(await em().count(Order, { pendingOrder: pending.id })).toBe(1);
    expect(await em().count(PaymentEvent, { eventId: event.eventId })).toBe(1);
  });

  it('ignores a second success for a paid checkout, and alerts when it is a second, different payment', async () => {
    const product = await createProduct(em());
    const pending = await createPendingOrder(em(), [line(product)]);
    await acceptPaymentEvent(deps(), succeeded(pending, 'sbp_once'));
    const sameMoney = await acceptPaymentEvent(deps(), succeeded(pending, 'sbp_once'));
    expect(sameMoney).toMatchObject({ kind: 'accepted', outcome: { status: 'ignored' } });
    expect(await em().count(AdminAlert, { type: 'duplicate_payment', subjectId: pending.id })).toBe(0);

    const otherMoney = await acceptPaymentEvent(deps(), succeeded(pending, 'sbp_twice'));
    expect(otherMoney).toMatchObject({ kind: 'accepted', outcome: { status: 'ignored' } });
    expect(await em().count(Order, { pendingOrder: pending.id })).toBe(1);
    expect(await em().count(AdminAlert, { type: 'duplicate_payment', subjectId: pending.id })).toBe(1);
  });

  it('ignores an expiry that arrives after the payment, and expires a checkout still unpaid', async () => {
    const product = await createProduct(em());
    const paid = await createPendingOrder(em(), [line(product)]);
    await acceptPaymentEvent(deps(), succeeded(paid));
    const late = await acceptPaymentEvent(deps(), gatewayEvent({ type: 'checkout.expired', pendingOrderId: paid.id }));
    expect(late).toMatchObject({ outcome: { status: 'ignored', note: 'the pending order is already paid' } });
    expect((await em().findOneOrFail(PendingOrder, paid.id)).status).toBe('paid');

    const unpaid = await createPendingOrder(em(), [line(product)]);
    await acceptPaymentEvent(deps(), gatewayEvent({ type: 'checkout.expired', pendingOrderId: unpaid.id }));
    expect((await em().findOneOrFail(PendingOrder, unpaid.id)).status).toBe('expired');
  });

  it('still creates the order when the money arrives after the checkout expired: money taken is never refused', async () => {
    const product = await createProduct(em());
    const pending = await createPendingOrder(em(), [line(product)], { expiresAt: new Date(Date.now() - 60_000) });
    expect(await expirePendingOrders(em(), new Date())).toBeGreaterThanOrEqual(1);
    expect((await em().findOneOrFail(PendingOrder, pending.id)).status).toBe('expired');

    const receipt = await acceptPaymentEvent(deps(), succeeded(pending));
    expect(receipt).toMatchObject({ outcome: { status: 'processed', note: expect.stringMatching(/expired/) } });
    expect((await em().findOneOrFail(PendingOrder, pending.id)).status).toBe('paid');
    expect(await em().count(Order, { pendingOrder: pending.id })).toBe(1);
  });

  it('defers an event whose pending order does not exist yet, with a job to look again', async () => {
    const missing = crypto.randomUUID();
    const event = gatewayEvent({
      type: 'payment.succeeded',
      pendingOrderId: missing,
      paymentId: 'sbp_early',
      amountMinor: 2500,
      currency: 'USD',
    });
    const receipt = await acceptPaymentEvent(deps(), event);

    expect(receipt).toMatchObject({ outcome: { status: 'deferred' } });
    const row = await em().findOneOrFail(PaymentEvent, { eventId: event.eventId });
    expect(row).toMatchObject({ status: 'deferred', pendingOrderId: missing, processedAt: null, attempts: 1 });
    expect(row.payload).toEqual(event.raw);
    const jobs = await jobsOf(em(), 'process_payment_event');
    expect(jobs.find((job) => job.payload.paymentEventId === row.id)).toMatchObject({
      key: `payment_event:${row.id}`,
    });
  });

  it('attaches a signed-in customer’s order to them, whatever email the form carried', async () => {
    const product = await createProduct(em());
    const customer = await createCustomer(em(), 'account@example.com');
    const pending = await createPendingOrder(em(), [line(product)], {
      user: em().getReference(User, customer.id),
      email: 'contact@example.com',
    });
    await acceptPaymentEvent(deps(), succeeded(pending));
    const order = await em().findOneOrFail(Order, { pendingOrder: pending.id });
    expect(order.user.id).toBe(customer.id);
    expect(order.email).toBe('contact@example.com');
    expect(await em().count(User, { email: 'contact@example.com' })).toBe(0);
  });

  it('waits for review before any job when a product requires review (seed 004)', async () => {
    const product = await createProduct(em(), { requiresReview: true });
    const pending = await createPendingOrder(em(), [line(product)]);
    await acceptPaymentEvent(deps(), succeeded(pending));
    const order = await em().findOneOrFail(Order, { pendingOrder: pending.id });
    expect(order.status).toBe('pending_review');
    expect(await em().count(FulfillmentRecord, { order: order.id, status: 'queued' })).toBe(1);
    expect(await fulfillJobsFor(order.id)).toEqual([]);
  });

  it('refuses to fulfil a payment of another amount or currency, and alerts finance', async () => {
    const product = await createProduct(em());
    const pending = await createPendingOrder(em(), [line(product)]);
    const short = gatewayEvent({
      type: 'payment.succeeded',
      pendingOrderId: pending.id,
      paymentId: 'sbp_short',
      amountMinor: 100,
      currency: 'USD',
    });
    expect(await acceptPaymentEvent(deps(), short)).toMatchObject({ outcome: { status: 'ignored' } });
    expect(await em().count(Order, { pendingOrder: pending.id })).toBe(0);
    expect(await em().count(AdminAlert, { type: 'payment_mismatch', subjectId: pending.id })).toBe(1);
  });

  it('credits the wallet for a paid top-up instead of creating an order', async () => {
    const customer = await createCustomer(em(), 'saver@example.com');
    const pending = await createPendingOrder(em(), [], {
      user: em().getReference(User, customer.id),
      purpose: 'wallet_top_up',
      amountMinor: 4000,
      currency: 'GHS',
    });
    await acceptPaymentEvent(deps(), succeeded(pending, 'sbp_topup'));
    await acceptPaymentEvent(deps(), succeeded(pending, 'sbp_topup'));
    expect(await em().findOneOrFail(WalletAccount, { user: customer.id, currency: 'GHS' })).toMatchObject({
      balanceMinor: 4000,
    });
    expect(await em().findOneOrFail(Payment, { gatewayPaymentId: 'sbp_topup' })).toMatchObject({
      purpose: 'wallet_top_up',
      order: null,
    });
    expect(await em().count(Order, { pendingOrder: pending.id })).toBe(0);
  });

  it('records renewals of a subscription once, deferring one that overtakes the first payment', async () => {
    const product = await createProduct(em(), { isRecurring: true, billingInterval: 'month' });
    const pending = await createPendingOrder(em(), [line(product)]);
    const renewal = gatewayEvent({
      type: 'subscription.renewed',
      subscriptionId: 'sbsub_1',
      paymentId: 'sbp_month2',
      amountMinor: 2500,
      currency: 'USD',
    });
    expect(await acceptPaymentEvent(deps(), renewal)).toMatchObject({ outcome: { status: 'deferred' } });

    await acceptPaymentEvent(
      deps(),
      gatewayEvent({
        type: 'payment.succeeded',
        pendingOrderId: pending.id,
        paymentId: 'sbp_month1',
        amountMinor: 2500,
        currency: 'USD',
        subscriptionId: 'sbsub_1',
      }),
    );
    const order = await em().findOneOrFail(Order, { pendingOrder: pending.id });
    expect(await em().findOneOrFail(Subscription, { gatewaySubscriptionId: 'sbsub_1' })).toMatchObject({
      status: 'active',
      order: { id: order.id },
    });
    const next = gatewayEvent({
      type: 'subscription.renewed',
      subscriptionId: 'sbsub_1',
      paymentId: 'sbp_month3',
      amountMinor: 2500,
      currency: 'USD',
    });
    expect(await acceptPaymentEvent(deps(), next)).toMatchObject({ outcome: { status: 'processed' } });
    const again = gatewayEvent({
      type: 'subscription.renewed',
      subscriptionId: 'sbsub_1',
      paymentId: 'sbp_month3',
      amountMinor: 2500,
      currency: 'USD',
    });
    expect(await acceptPaymentEvent(deps(), again)).toMatchObject({ outcome: { status: 'ignored' } });
    const payments = await em().find(Payment, { order: order.id }, { orderBy: { gatewayPaymentId: 'asc' } });
    expect(payments.map((p) => [p.gatewayPaymentId, p.purpose])).toEqual([
      ['sbp_month1', 'order'],
      ['sbp_month3', 'renewal'],
    ]);
  });

  it('ends a subscription: undelivered records stop, delivered ones without a suspend are left to a person', async () => {
    const product = await createProduct(em(), { isRecurring: true, billingInterval: 'month' });
    const pending = await createPendingOrder(em(), [line(product, 2)]);
    await acceptPaymentEvent(
      deps(),
      gatewayEvent({
        type: 'payment.succeeded',
        pendingOrderId: pending.id,
        paymentId: 'sbp_sub2',
        amountMinor: 5000,
        currency: 'USD',
        subscriptionId: 'sbsub_2',
      }),
    );
    const order = await em().findOneOrFail(Order, { pendingOrder: pending.id });
    const [delivered, onItsWay] = await em().find(FulfillmentRecord, { order: order.id }, { orderBy: { id: 'asc' } });
    await em().nativeUpdate(FulfillmentRecord, { id: delivered?.id }, { status: 'completed' });

    const cancelled = gatewayEvent({ type: 'subscription.cancelled', subscriptionId: 'sbsub_2' });
    expect(await acceptPaymentEvent(deps(), cancelled)).toMatchObject({ outcome: { status: 'processed' } });
    expect(await em().findOneOrFail(FulfillmentRecord, { id: onItsWay?.id })).toMatchObject({ status: 'cancelled' });
    expect(await em().findOneOrFail(FulfillmentRecord, { id: delivered?.id })).toMatchObject({ status: 'completed' });
    expect(await em().findOneOrFail(Subscription, { gatewaySubscriptionId: 'sbsub_2' })).toMatchObject({
      status: 'cancelled',
    });
    expect(await em().count(AdminAlert, { type: 'subscription_ended', subjectId: order.id })).toBe(1);
    const twice = gatewayEvent({ type: 'subscription.cancelled', subscriptionId: 'sbsub_2' });
    expect(await acceptPaymentEvent(deps(), twice)).toMatchObject({ outcome: { status: 'ignored' } });
  });

  it('records a refund made at the gateway once when the gateway tells of it in several events at the same moment', async () => {
    const product = await createProduct(em());
    const pending = await createPendingOrder(em(), [line(product)]);
    await acceptPaymentEvent(deps(), succeeded(pending, 'sbp_refunded'));
    const order = await em().findOneOrFail(Order, { pendingOrder: pending.id });
    // A gateway sends refund.created, charge.refunded and refund.updated about one refund at once.
    const told = () =>
      gatewayEvent({
        type: 'refund.succeeded',
        paymentId: 'sbp_refunded',
        refundId: 'sbr_dashboard',
        amountMinor: 1000,
        currency: 'USD',
      });
    const receipts = await Promise.all([told(), told(), told()].map((event) => acceptPaymentEvent(deps(), event)));

    expect(receipts.map((receipt) => receipt.kind)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(await em().count(Refund, { order: order.id })).toBe(1);
    expect((await em().findOneOrFail(Payment, { gatewayPaymentId: 'sbp_refunded' })).refundedMinor).toBe(1000);
  });
});
