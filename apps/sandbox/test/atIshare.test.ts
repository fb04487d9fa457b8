import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { atIshareEmulator } from '../src/emulators/at-ishare/atIshareEmulator';
import { createSandbox } from '../src/sandbox';

const API_KEY = 'test-at-ishare-key-0123456789';

describe('AT-iShare reseller emulator', () => {
  let app: FastifyInstance;
  let base: string;

  const api = (
    path: string,
    init: { body?: unknown; key?: string; idempotencyKey?: string; signal?: AbortSignal } = {},
  ) =>
    fetch(`${base}/at-ishare/api/v1${path}`, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: {
        'x-api-key': init.key ?? API_KEY,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.idempotencyKey ? { 'idempotency-key': init.idempotencyKey } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? undefined : res.json();
  };
  const deliveries = async () =>
    ((await control('/at-ishare/deliveries')) as { deliveries: Record<string, unknown>[] }).deliveries;
  const balance = async () => ((await (await api('/balance')).json()) as { balance: number }).balance;
  const order = (orderId = 'order-1', phoneNumber = '0271234567', sizeGb = 1) => ({ phoneNumber, sizeGb, orderId });

  beforeAll(async () => {
    app = await createSandbox({
      emulators: [atIshareEmulator({ apiKey: API_KEY, initialBalance: 100 })],
      publicUrl: 'http://sandbox.test',
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    await control('/reset', 'POST');
  });

  it('refuses a missing or wrong API key with 401', async () => {
    const res = await api('/balance', { key: 'wrong' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      success: false,
      errorCode: 'UNAUTHORIZED',
      message: 'Invalid or missing API key',
    });
  });

  it('delivers a bundle, takes its price from the float, and reads it back by reference', async () => {
    expect(await (await api('/balance')).json()).toEqual({ success: true, balance: 100, currency: 'GHS' });
    const res = await api('/orders', {
      body: order('order-1', '+233 27 123 4567', 10),
      idempotencyKey: 'rec-1:deliver',
    });
    expect(res.status).toBe(200);
    const delivered = (await res.json()) as Record<string, unknown>;
    expect(delivered).toMatchObject({
      success: true,
      reference: expect.stringMatching(/^ATI[A-Z2-9]{10}$/),
      orderId: 'order-1',
      phoneNumber: '0271234567',
      sizeGb: 10,
      status: 'delivered',
      amount: 42,
      balance: 58,
      message: 'Data bundle delivered',
    });
    expect(await balance()).toBe(58);
    const verified = await (await api(`/orders/${delivered.reference}`)).json();
    expect(verified).toMatchObject({ success: true, reference: delivered.reference, status: 'delivered' });
  });

  it('answers a retried delivery with the first one: one bundle, one charge', async () => {
    const first = (await (await api('/orders', { body: order(), idempotencyKey: 'rec-2:deliver' })).json()) as {
      reference: string;
    };
    const retried = await api('/orders', { body: order(), idempotencyKey: 'rec-2:deliver' });
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await retried.json()).toMatchObject({ reference: first.reference });
    expect(await deliveries()).toHaveLength(1);
    expect(await balance()).toBe(95.5);

    const changed = await api('/orders', { body: order('order-1', '0571234567'), idempotencyKey: 'rec-2:deliver' });
    expect(changed.status).toBe(422);
    expect(await changed.json()).toMatchObject({ errorCode: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('refuses a second delivery for an order under another key, naming the first', async () => {
    const first = (await (await api('/orders', { body: order(), idempotencyKey: 'a' })).json()) as {
      reference: string;
    };
    const again = await api('/orders', { body: order(), idempotencyKey: 'b' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ errorCode: 'DUPLICATE_ORDER', reference: first.reference });
  });

  it('lists what it holds for an order id, newest first, without placing anything', async () => {
    expect(await (await api('/orders?orderId=order-9')).json()).toEqual({ success: true, orders: [] });
    await control('/at-ishare/settings', 'PUT', { pendingVerifies: 5 });
    const first = (await (await api('/orders', { body: order('order-9'), idempotencyKey: 'a' })).json()) as {
      reference: string;
    };
    await control(`/at-ishare/deliveries/${first.reference}/fail`, 'POST', { reason: 'Network rejected' });
    const second = (await (await api('/orders', { body: order('order-9'), idempotencyKey: 'b' })).json()) as {
      reference: string;
    };
    await api('/orders', { body: order('order-10'), idempotencyKey: 'c' });
    const found = (await (await api('/orders?orderId=order-9')).json()) as { orders: Record<string, unknown>[] };
    expect(found.orders).toEqual([
      expect.objectContaining({ reference: second.reference, orderId: 'order-9', status: 'pending' }),
      expect.objectContaining({ reference: first.reference, status: 'failed', failureReason: 'Network rejected' }),
    ]);
    expect(await deliveries()).toHaveLength(3);
    const missing = await api('/orders?orderId=');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ errorCode: 'VALIDATION_ERROR', message: 'orderId: is required' });
  });

  it('refuses a number that is not AirtelTigo, and a size it does not sell, with 400', async () => {
    const mtn = await api('/orders', { body: order('order-1', '0241234567') });
    expect(mtn.status).toBe(400);
    expect(await mtn.json()).toEqual({
      success: false,
      errorCode: 'INVALID_PHONE',
      message: 'Invalid phone number: 0241234567 is not an AirtelTigo number',
    });
    const garbage = await api('/orders', { body: order('order-1', '12345') });
    expect(await garbage.json()).toMatchObject({ errorCode: 'INVALID_PHONE' });

    const size = await api('/orders', { body: order('order-1', '0271234567', 9) });
    expect(size.status).toBe(400);
    expect(await size.json()).toMatchObject({ errorCode: 'INVALID_SIZE', message: expect.stringContaining('9GB') });
    expect(await deliveries()).toEqual([]);
  });

  it('refuses a delivery the float cannot pay for with 402, and takes the same key once topped up', async () => {
    await control('/at-ishare/balance', 'PUT', { balance: 2 });
    const empty = await api('/orders', { body: order(), idempotencyKey: 'rec-3:deliver' });
    expect(empty.status).toBe(402);
    expect(await empty.json()).toEqual({
      success: false,
      errorCode: 'INSUFFICIENT_BALANCE',
      message: 'Insufficient wallet balance: GHS 2.00 available, GHS 4.50 needed',
      balance: 2,
      required: 4.5,
    });
    await control('/at-ishare/balance', 'PUT', { balance: 50 });
    const topped = await api('/orders', { body: order(), idempotencyKey: 'rec-3:deliver' });
    expect(topped.status).toBe(200);
    expect(await balance()).toBe(45.5);
  });

  it('keeps a delivery pending for the set number of verifies, then reports it delivered', async () => {
    await control('/at-ishare/settings', 'PUT', { pendingVerifies: 2 });
    const placed = (await (await api('/orders', { body: order() })).json()) as { reference: string; status: string };
    expect(placed.status).toBe('pending');
    const statuses: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push(((await (await api(`/orders/${placed.reference}`)).json()) as { status: string }).status);
    }
    expect(statuses).toEqual(['pending', 'pending', 'delivered']);
  });

  it('lands or fails a pending delivery from the control API, refunding a failed one', async () => {
    await control('/at-ishare/settings', 'PUT', { pendingMs: 60_000 });
    const one = (await (await api('/orders', { body: order('o-1') })).json()) as { reference: string };
    const two = (await (await api('/orders', { body: order('o-2') })).json()) as { reference: string };
    expect(await (await api(`/orders/${one.reference}`)).json()).toMatchObject({ status: 'pending' });
    await control(`/at-ishare/deliveries/${one.reference}/deliver`, 'POST', {});
    await control(`/at-ishare/deliveries/${two.reference}/fail`, 'POST', { reason: 'Network rejected the bundle' });
    expect(await (await api(`/orders/${one.reference}`)).json()).toMatchObject({ status: 'delivered' });
    expect(await (await api(`/orders/${two.reference}`)).json()).toMatchObject({
      status: 'failed',
      failureReason: 'Network rejected the bundle',
    });
    expect(await balance()).toBe(95.5);
  });

  it('answers 404 for a reference it never gave', async () => {
    const res = await api('/orders/ATIUNKNOWN');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ success: false, errorCode: 'NOT_FOUND' });
  });

  it('fails the matching requests the way a failure rule asks, then lets them through', async () => {
    await control('/at-ishare/failures', 'POST', {
      phoneNumber: '+233271234567',
      failure: 'unavailable',
      remaining: 1,
    });
    const other = await api('/orders', { body: order('o-1', '0571234567') });
    expect(other.status).toBe(200);
    const down = await api('/orders', { body: order('o-2') });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('30');
    expect(await down.json()).toMatchObject({ errorCode: 'SERVICE_UNAVAILABLE' });
    expect((await api('/orders', { body: order('o-2') })).status).toBe(200);

    await control('/at-ishare/failures', 'POST', { sizeGb: 5, failure: 'insufficient_balance' });
    const refused = await api('/orders', { body: order('o-3', '0271234567', 5) });
    expect(refused.status).toBe(402);
    expect(await control('/at-ishare/failures')).toEqual({
      failures: [{ sizeGb: 5, failure: 'insufficient_balance' }],
    });
    await control('/at-ishare/failures', 'DELETE');
    expect((await api('/orders', { body: order('o-3', '0271234567', 5) })).status).toBe(200);
  });

  it('delivers and then never answers on `lost_answer`; the retry under the same key gets that delivery', async () => {
    await control('/at-ishare/failures', 'POST', { failure: 'lost_answer', remaining: 1 });
    const lost = await api('/orders', {
      body: order(),
      idempotencyKey: 'rec-4:deliver',
      signal: AbortSignal.timeout(300),
    }).catch((e: Error) => e);
    expect(lost).toBeInstanceOf(Error);
    const [made] = await deliveries();
    expect(made).toMatchObject({ orderId: 'order-1', status: 'delivered' });
    const retried = await (await api('/orders', { body: order(), idempotencyKey: 'rec-4:deliver' })).json();
    expect(retried).toMatchObject({ reference: made?.reference });
    expect(await deliveries()).toHaveLength(1);
  });

  it('holds a `timeout` request without delivering anything', async () => {
    await control('/at-ishare/failures', 'POST', { failure: 'timeout', remaining: 1 });
    const timedOut = await api('/orders', { body: order(), signal: AbortSignal.timeout(300) }).catch((e: Error) => e);
    expect(timedOut).toBeInstanceOf(Error);
    expect(await deliveries()).toEqual([]);
  });

  it("answers with the sandbox's injected faults like every emulator", async () => {
    await control('/faults/at-ishare', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    expect((await api('/orders', { body: order() })).status).toBe(503);
    expect(await deliveries()).toEqual([]);
    expect((await api('/orders', { body: order() })).status).toBe(200);
  });

  it('refuses a body without the seed fields with 400', async () => {
    const res = await api('/orders', { body: { phoneNumber: '0271234567' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorCode: 'VALIDATION_ERROR' });
  });

  it('forgets deliveries, failures and settings and restores the float on reset', async () => {
    await api('/orders', { body: order() });
    await control('/at-ishare/failures', 'POST', { failure: 'unavailable' });
    await control('/at-ishare/settings', 'PUT', { pendingVerifies: 3 });
    await control('/reset', 'POST');
    expect(await deliveries()).toEqual([]);
    expect(await control('/at-ishare/failures')).toEqual({ failures: [] });
    expect(await control('/at-ishare/settings')).toEqual({ settings: { pendingVerifies: 0, pendingMs: 0 } });
    expect(await balance()).toBe(100);
  });
});
