import { randomBytes, randomUUID } from 'node:crypto';
import { signRequest } from '@handover/core';
import { ActivityLog, FulfillmentRecord, Order, OrderItem, Payment, Product, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startServer } from './harness';

const SECRET = randomBytes(32).toString('hex');
const NEXT_SECRET = randomBytes(32).toString('hex');

describe('signed operator API: POST /provision/orders/:id', () => {
  const db = useTestDatabase();
  const clock = manualClock();
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    ({ app, base } = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock,
      env: { PROVISION_API_SECRETS: `${NEXT_SECRET},${SECRET}` },
    }));
  });
  afterAll(() => app?.close());

  async function orderAwaitingReview(status: Order['status'] = 'pending_review'): Promise<string> {
    const em = db.orm.em.fork();
    const user = em.create(User, { email: `${randomUUID()}@example.com` });
    const product = em.create(Product, {
      slug: `fibre-${randomUUID()}`,
      name: 'Fibre',
      priceMinor: 5900,
      currency: 'USD',
      deliveryModel: 'billing_service',
      fulfillmentDriver: 'whmcs',
      requiresReview: true,
    });
    const order = em.create(Order, {
      orderCode: `HO-${randomBytes(4).toString('hex')}`,
      user,
      email: user.email,
      status,
      amountMinor: 5900,
      currency: 'USD',
    });
    const item = em.create(OrderItem, {
      order,
      product,
      productName: 'Fibre',
      driver: 'whmcs',
      unitPriceMinor: 5900,
      currency: 'USD',
      input: {},
    });
    em.create(FulfillmentRecord, { order, orderItem: item, product, driver: 'whmcs', payloadSnapshot: {} });
    await em.flush();
    return order.id;
  }

  interface CallOptions {
    body?: string;
    secret?: string;
    timestamp?: number;
    nonce?: string;
    idempotencyKey?: string | null;
    signPath?: string;
    /** After the order's path: `/reject`. */
    action?: string;
  }

  function call(orderId: string, options: CallOptions = {}) {
    const path = `/provision/orders/${orderId}${options.action ?? ''}`;
    const body = options.body ?? '';
    const timestamp = String(options.timestamp ?? Math.floor(clock.now().getTime() / 1000));
    const nonce = options.nonce ?? randomBytes(16).toString('hex');
    const signature = signRequest(options.secret ?? SECRET, {
      method: 'POST',
      path: options.signPath ?? path,
      timestamp,
      nonce,
      body,
    });
    const headers: Record<string, string> = { 'x-timestamp': timestamp, 'x-nonce': nonce, 'x-signature': signature };
    if (body) headers['content-type'] = 'application/json';
    if (options.idempotencyKey !== null) headers['idempotency-key'] = options.idempotencyKey ?? randomUUID();
    return fetch(`${base}${path}`, { method: 'POST', headers, body: body || undefined });
  }

  const fulfillJobs = async (orderId: string) => {
    const rows = await db.orm.em.fork().execute<{ n: string }[]>(
      `select count(*) as n from graphile_worker._private_jobs j
         join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier = 'fulfill'
          and (j.payload->>'recordId')::uuid in (select id from fulfillment_records where order_id = ?)`,
      [orderId],
    );
    return Number(rows[0]?.n);
  };
  const rejections = () => db.orm.em.fork().find(ActivityLog, { action: 'operator_api.rejected' });

  it('approves an order pending review and enqueues its fulfillment, with a correctly signed call', async () => {
    const orderId = await orderAwaitingReview();
    const response = await call(orderId, { body: JSON.stringify({ approvedBy: 'Ops Olivia' }) });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ orderId, status: 'approved', fulfillmentRecordsQueued: 1 });
    expect((await db.orm.em.fork().findOneOrFail(Order, orderId)).status).toBe('approved');
    expect(await fulfillJobs(orderId)).toBe(1);
  });

  it('takes the operator system activation date in an explicit zone, through the same operation as the back office', async () => {
    const orderId = await orderAwaitingReview();
    const body = JSON.stringify({
      approvedBy: 'Ops Olivia',
      activation: { type: 'scheduled', date: '2099-03-30', time: '09:00', timeZone: 'Europe/London' },
    });
    const response = await call(orderId, { body });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({
      status: 'approved',
      fulfillmentRecordsQueued: 0,
      activation: { type: 'scheduled', scheduledAt: '2099-03-30T08:00:00.000Z', timeZone: 'Europe/London' },
    });
    const order = await db.orm.em.fork().findOneOrFail(Order, orderId);
    expect(order).toMatchObject({ reviewDecision: 'approved', reviewedBy: 'Ops Olivia', activationType: 'scheduled' });
    const approval = await db.orm.em
      .fork()
      .findOneOrFail(ActivityLog, { action: 'order.approved', subjectId: orderId });
    expect(approval).toMatchObject({ actorType: 'api', actorId: 'Ops Olivia' });
    expect(await fulfillJobs(orderId)).toBe(0);
    const bad = await call(await orderAwaitingReview(), {
      body: JSON.stringify({ activation: { type: 'scheduled', date: '2099-02-30', timeZone: 'Mars/Olympus' } }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('Choose a time zone such as Europe/London');
  });

  it('rejects with a reason through the same operation as the back office: records cancelled, what was paid refunded, the operator logged', async () => {
    const orderId = await orderAwaitingReview();
    const em = db.orm.em.fork();
    const order = await em.findOneOrFail(Order, orderId, { populate: ['user'] });
    // Paid through a gateway this server holds no credentials for: the money goes back to the wallet.
    em.create(Payment, {
      order,
      user: order.user,
      gateway: 'stripe',
      gatewayPaymentId: `pi_${randomUUID()}`,
      purpose: 'order',
      amountMinor: 5900,
      currency: 'USD',
      paidAt: clock.now(),
    });
    await em.flush();

    const noReason = await call(orderId, { action: '/reject', body: JSON.stringify({ rejectedBy: 'Ops Olivia' }) });
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as { message: string }).message).toContain('reason');

    const body = JSON.stringify({ rejectedBy: 'Ops Olivia', reason: 'We do not cover that street yet' });
    const rejected = await call(orderId, { action: '/reject', body });
    expect(rejected.status).toBe(200);
    expect(await rejected.json()).toMatchObject({
      orderId,
      status: 'cancelled',
      refunds: [{ amountMinor: 5900, currency: 'USD', destination: 'wallet', status: 'succeeded' }],
    });
    const after = db.orm.em.fork();
    expect(await after.findOneOrFail(Order, orderId)).toMatchObject({
      status: 'refunded',
      reviewDecision: 'rejected',
      reviewedBy: 'Ops Olivia',
      reviewReason: 'We do not cover that street yet',
    });
    expect((await after.find(FulfillmentRecord, { order: orderId })).map((record) => record.status)).toEqual([
      'cancelled',
    ]);
    expect(await after.findOneOrFail(ActivityLog, { action: 'order.rejected', subjectId: orderId })).toMatchObject({
      actorType: 'api',
      actorId: 'Ops Olivia',
    });
    expect(await fulfillJobs(orderId)).toBe(0);
    // Decided once: neither a second rejection nor an approval changes it.
    expect((await call(orderId, { action: '/reject', body })).status).toBe(409);
    expect((await call(orderId)).status).toBe(409);
  });

  it('accepts a signature made with the older of two secrets, so the secret can rotate', async () => {
    const orderId = await orderAwaitingReview();
    expect((await call(orderId, { secret: NEXT_SECRET })).status).toBe(202);
    expect((await call(await orderAwaitingReview(), { secret: SECRET })).status).toBe(202);
  });

  it('replays the first response for the same Idempotency-Key, and refuses the key with another body (422)', async () => {
    const orderId = await orderAwaitingReview();
    const key = randomUUID();
    const body = JSON.stringify({ approvedBy: 'Ops Olivia' });
    const first = await call(orderId, { idempotencyKey: key, body });
    const again = await call(orderId, { idempotencyKey: key, body });
    expect(again.status).toBe(first.status);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    expect(await fulfillJobs(orderId)).toBe(1);

    const otherBody = await call(orderId, {
      idempotencyKey: key,
      body: JSON.stringify({ approvedBy: 'Someone Else' }),
    });
    expect(otherBody.status).toBe(422);
    expect(await otherBody.json()).toMatchObject({ error: 'idempotency_key_reused' });
  });

  it('answers 409 for an order that is not waiting for review, and replays that answer too', async () => {
    const orderId = await orderAwaitingReview('paid');
    const key = randomUUID();
    const refused = await call(orderId, { idempotencyKey: key });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toMatch(/is paid, not pending review/);
    expect((await call(orderId, { idempotencyKey: key })).status).toBe(409);
    expect((await call(randomUUID())).status).toBe(404);
  });

  it('refuses a forged signature with 401 and logs it', async () => {
    const orderId = await orderAwaitingReview();
    const before = (await rejections()).length;
    const forged = await call(orderId, { secret: randomBytes(32).toString('hex') });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: 'unauthorized', reason: 'bad_signature' });
    const signedForAnotherOrder = await call(orderId, { signPath: `/provision/orders/${randomUUID()}` });
    expect(signedForAnotherOrder.status).toBe(401);
    // Both refusals fall in one minute from one IP: one row stands for them.
    const logged = (await rejections()).slice(before);
    expect(logged.map((row) => row.properties.reason)).toEqual(['bad_signature']);
    expect(logged[0]?.description).toContain(`POST /provision/orders/${orderId} refused`);
    expect((await db.orm.em.fork().findOneOrFail(Order, orderId)).status).toBe('pending_review');
  });

  it('writes two rows, not one per call, for a flood of bad signatures, and turns the IP away past twenty a minute', async () => {
    clock.advance(60_000);
    const orderId = await orderAwaitingReview();
    const rows = () =>
      db.orm.em.fork().count(ActivityLog, { action: { $in: ['operator_api.rejected', 'operator_api.throttled'] } });
    const before = await rows();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await call(orderId, { secret: 'x'.repeat(64) })).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual(Array(10).fill(429));
    expect((await rows()) - before).toBe(2);
    const [throttled] = await db.orm.em.fork().find(ActivityLog, { action: 'operator_api.throttled' });
    expect(throttled?.properties).toMatchObject({ refusedInWindow: 20, reason: 'bad_signature' });
    // A correctly signed call from that IP waits for the next minute too.
    expect((await call(orderId)).status).toBe(429);
    clock.advance(60_000);
    expect((await call(orderId)).status).toBe(202);
  });

  it('refuses a timestamp older than five minutes, or from the future, with 401', async () => {
    const orderId = await orderAwaitingReview();
    const now = Math.floor(clock.now().getTime() / 1000);
    const stale = await call(orderId, { timestamp: now - 301 });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ reason: 'stale_timestamp' });
    expect((await call(orderId, { timestamp: now + 301 })).status).toBe(401);
    expect((await call(orderId, { timestamp: now - 290 })).status).toBe(202);
  });

  it('refuses a replayed request (a reused X-Nonce) with 401, even with a fresh Idempotency-Key', async () => {
    const orderId = await orderAwaitingReview();
    const nonce = randomBytes(16).toString('hex');
    expect((await call(orderId, { nonce })).status).toBe(202);
    const replay = await call(orderId, { nonce });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ reason: 'reused_nonce' });
  });

  it('refuses unsigned calls with 401, and signed calls without an Idempotency-Key with 400', async () => {
    const orderId = await orderAwaitingReview();
    const unsigned = await fetch(`${base}/provision/orders/${orderId}`, { method: 'POST' });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ reason: 'missing_or_malformed_headers' });
    const noKey = await call(orderId, { idempotencyKey: null });
    expect(noKey.status).toBe(400);
    expect(await noKey.json()).toMatchObject({ error: 'idempotency_key_required' });
  });
});

describe('signed operator API without secrets', () => {
  const db = useTestDatabase();

  it('answers 503 and says what to configure', async () => {
    const { app, base } = await startServer({ orm: db.orm, databaseUrl: db.url, clock: { now: () => new Date() } });
    try {
      const response = await fetch(`${base}/provision/orders/${randomUUID()}`, { method: 'POST' });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { message: string }).message).toContain('PROVISION_API_SECRETS');
    } finally {
      await app.close();
    }
  });
});
