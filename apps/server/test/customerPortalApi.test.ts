import { generateOrderCode, hashPassword, notifyInApp, passwordCostFromLog2 } from '@handover/core';
import {
  DnsCheck,
  FulfillmentRecord,
  FulfillmentStep,
  Notification,
  Order,
  OrderItem,
  Product,
  User,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, errorOf, manualClock, startServer } from './harness';

const PASSWORD = 'correct horse battery';

describe('the customer portal API', () => {
  const db = useTestDatabase();
  let app: FastifyInstance;
  let base: string;

  async function customer(email: string) {
    const em = db.orm.em.fork();
    const user = em.create(User, {
      email,
      passwordHash: await hashPassword(PASSWORD, passwordCostFromLog2(10)),
      emailVerifiedAt: new Date(),
    });
    await em.flush();
    const b = browser(base);
    await b.api.auth.signIn.mutate({ email, password: PASSWORD });
    return { id: user.id, api: b.api };
  }

  async function orderWithDelivery(userId: string, email: string) {
    const em = db.orm.em.fork();
    const product = em.create(Product, {
      slug: `p-${email}`,
      name: 'Email setup',
      priceMinor: 100,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
    });
    const order = em.create(Order, {
      orderCode: generateOrderCode(),
      user: em.getReference(User, userId),
      email,
      amountMinor: 100,
      currency: 'USD',
    });
    const item = em.create(OrderItem, {
      order,
      product,
      productName: 'Email setup',
      driver: 'manual',
      unitPriceMinor: 100,
      currency: 'USD',
      input: { notes: 'please' },
    });
    const record = em.create(FulfillmentRecord, {
      order,
      orderItem: item,
      product,
      driver: 'manual',
      status: 'manual_pending',
      statusReason: 'Our team is completing this by hand',
      payloadSnapshot: { notes: 'please' },
    });
    em.create(FulfillmentStep, {
      record,
      name: 'perform',
      position: 0,
      status: 'waiting',
      idempotencyKey: `${record.id}:perform`,
      attempts: 0,
      generation: 0,
      startedAt: new Date(),
    });
    await em.flush();
    return order;
  }

  beforeAll(async () => {
    ({ app, base } = await startServer({ orm: db.orm, databaseUrl: db.url, clock: manualClock() }));
  });
  afterAll(() => app?.close());

  it('shows a customer their order by its code, with each delivery, its timeline and result names in its driver’s words', async () => {
    const ann = await customer('ann@example.com');
    const order = await orderWithDelivery(ann.id, 'ann@example.com');
    const seen = await ann.api.orders.byCode.query({ orderCode: order.orderCode.toLowerCase() });
    expect(seen.orderCode).toBe(order.orderCode);
    const [delivery] = seen.items[0]?.deliveries ?? [];
    expect(delivery).toMatchObject({
      status: 'manual_pending',
      statusReason: 'Our team is completing this by hand',
      timeline: [{ step: 'perform', label: 'Our team sets it up for you', status: 'waiting' }],
      resultLabels: { note: 'From our team' },
    });
    expect(seen).toMatchObject({ refundedMinor: 0, money: [] });
  });

  it("answers another customer's order code as not found", async () => {
    const ben = await customer('ben@example.com');
    const cat = await customer('cat@example.com');
    const order = await orderWithDelivery(ben.id, 'ben@example.com');
    expect(await errorOf(cat.api.orders.byCode.query({ orderCode: order.orderCode }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it("checks an order's waiting domains on request, once per domain, and only for its own customer", async () => {
    const fay = await customer('fay@example.com');
    const gus = await customer('gus@example.com');
    const order = await orderWithDelivery(fay.id, 'fay@example.com');
    const em = db.orm.em.fork();
    const record = await em.findOneOrFail(FulfillmentRecord, { order: order.id });
    em.create(DnsCheck, {
      record,
      order: em.getReference(Order, order.id),
      domain: 'fay.example',
      expectedNameservers: ['ns1.plugsaas.test', 'ns2.plugsaas.test'],
      nextCheckAt: new Date(Date.now() + 3_600_000),
    });
    await em.flush();

    expect(await fay.api.orders.checkDns.mutate({ id: order.id })).toEqual({ domains: 1 });
    expect(await fay.api.orders.checkDns.mutate({ id: order.id })).toEqual({ domains: 1 });
    const jobs = await db.orm.em
      .fork()
      .getConnection()
      .execute<{ key: string }[]>(`select key from graphile_worker.jobs where task_identifier = 'verify_dns'`);
    expect(jobs).toEqual([{ key: `verify_dns:${record.id}` }]);
    expect(await errorOf(gus.api.orders.checkDns.mutate({ id: order.id }))).toMatchObject({ code: 'NOT_FOUND' });

    const shown = await fay.api.orders.byId.query({ id: order.id });
    expect(shown.items[0]?.deliveries[0]?.dns).toMatchObject({
      status: 'pending_verification',
      lastCheckedAt: null,
      lastSeenNameservers: [],
    });
  });

  it('lists notifications newest first with an unread count, and marks only your own read', async () => {
    const dan = await customer('dan@example.com');
    const eve = await customer('eve@example.com');
    const em = db.orm.em.fork();
    const first = notifyInApp(em, { userId: dan.id, type: 'order_status_change', title: 'One', message: '1' });
    notifyInApp(em, { userId: dan.id, type: 'order_status_change', title: 'Two', message: '2' });
    const evesOwn = notifyInApp(em, { userId: eve.id, type: 'order_status_change', title: 'Eve', message: 'e' });
    await em.flush();

    const list = await dan.api.notifications.list.query();
    expect(list.unread).toBe(2);
    expect(list.items.map((n) => n.title).sort()).toEqual(['One', 'Two']);

    expect(await dan.api.notifications.markRead.mutate({ ids: [first.id, evesOwn.id] })).toEqual({ marked: 1 });
    expect((await db.orm.em.fork().findOneOrFail(Notification, { id: evesOwn.id })).readAt).toBeNull();
    expect((await dan.api.notifications.list.query()).unread).toBe(1);
    expect(await dan.api.notifications.markRead.mutate({ ids: 'all' })).toEqual({ marked: 1 });
  });
});
