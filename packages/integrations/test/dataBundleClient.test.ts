import type { AddressInfo } from 'node:net';
import { captureProviderCalls, PermanentError, TransientError } from '@handover/core';
import { atIshareEmulator, createSandbox } from '@handover/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AtIshareClient,
  type FulfillmentRequest,
  InsufficientBalanceError,
  parseBundleSize,
} from '../src/drivers/data-bundle/atIshareClient';
import { atIshareEnvSchema } from '../src/drivers/data-bundle/env';

const API_KEY = 'at-ishare-test-key-0123456789';

const request = (orderId = 'order-1', phoneNumber = '+233271234567', sizeGb = 1): FulfillmentRequest => ({
  phoneNumber,
  sizeGb,
  orderId,
});

describe('AtIshareClient against the sandbox reseller', () => {
  let sandbox: Awaited<ReturnType<typeof createSandbox>>;
  let base: string;
  let client: AtIshareClient;

  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? undefined : res.json();
  };
  const deliveries = async () =>
    ((await control('/at-ishare/deliveries')) as { deliveries: { reference: string; phoneNumber: string }[] })
      .deliveries;
  const keyCalls = async (key: string) =>
    ((await control('/calls?emulator=at-ishare')) as Record<string, { idempotencyKeys: Record<string, number> }>)[
      'at-ishare'
    ]?.idempotencyKeys[key];

  beforeAll(async () => {
    sandbox = await createSandbox({
      emulators: [atIshareEmulator({ apiKey: API_KEY, initialBalance: 100, hangMs: 2_000 })],
      publicUrl: 'http://sandbox.test',
      hangMs: 2_000,
    });
    await sandbox.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
    client = new AtIshareClient({ baseUrl: `${base}/at-ishare`, apiKey: API_KEY, timeoutMs: 500 });
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    await control('/reset', 'POST');
  });

  it('delivers a bundle to an E.164 number, sent in the local form, and verifies it by reference', async () => {
    const delivery = await client.fulfillOrder(request('order-1', '+233271234567', 10), 'rec-1:deliver');
    expect(delivery).toMatchObject({
      reference: expect.stringMatching(/^ATI/),
      orderId: 'order-1',
      phoneNumber: '0271234567',
      sizeGb: 10,
      status: 'delivered',
      failureReason: null,
    });
    expect(delivery.deliveredAt).toBeInstanceOf(Date);
    expect(await deliveries()).toMatchObject([{ reference: delivery.reference, phoneNumber: '0271234567' }]);
    expect(await client.verifyFulfillment(delivery.reference)).toEqual(delivery);
  });

  it('reads the float in pesewas', async () => {
    expect(await client.balance()).toEqual({ amountMinor: 10_000, currency: 'GHS' });
    await client.fulfillOrder(request(), 'rec-2:deliver');
    expect(await client.balance()).toEqual({ amountMinor: 9_550, currency: 'GHS' });
  });

  it('reports verify `pending` until the reseller confirms, then `delivered`', async () => {
    await control('/at-ishare/settings', 'PUT', { pendingVerifies: 1 });
    const placed = await client.fulfillOrder(request(), 'rec-3:deliver');
    expect(placed).toMatchObject({ status: 'pending', deliveredAt: null });
    expect((await client.verifyFulfillment(placed.reference)).status).toBe('pending');
    const landed = await client.verifyFulfillment(placed.reference);
    expect(landed.status).toBe('delivered');
    expect(landed.deliveredAt).toBeInstanceOf(Date);
  });

  it('reports a delivery the network failed as `failed` with its reason', async () => {
    await control('/at-ishare/settings', 'PUT', { pendingMs: 60_000 });
    const placed = await client.fulfillOrder(request(), 'rec-4:deliver');
    await control(`/at-ishare/deliveries/${placed.reference}/fail`, 'POST', { reason: 'Subscriber barred' });
    expect(await client.verifyFulfillment(placed.reference)).toMatchObject({
      status: 'failed',
      failureReason: 'Subscriber barred',
    });
  });

  describe('a crash between the reseller’s answer and Handover’s commit', () => {
    it('delivers once when the answer was lost and the step is retried under its key', async () => {
      await control('/at-ishare/failures', 'POST', { failure: 'lost_answer', remaining: 1 });
      const lost = await client.fulfillOrder(request(), 'rec-5:deliver').catch((e) => e);
      expect(lost).toBeInstanceOf(TransientError);
      expect(lost).toMatchObject({ code: 'timeout' });

      const retried = await client.fulfillOrder(request(), 'rec-5:deliver');
      const made = await deliveries();
      expect(made).toHaveLength(1);
      expect(retried.reference).toBe(made[0]?.reference);
      expect(await keyCalls('rec-5:deliver')).toBe(2);
      expect(await client.balance()).toEqual({ amountMinor: 9_550, currency: 'GHS' });
    });

    it('delivers once when the answer arrived but was never committed', async () => {
      const first = await client.fulfillOrder(request(), 'rec-6:deliver');
      const again = await client.fulfillOrder(request(), 'rec-6:deliver');
      expect(again.reference).toBe(first.reference);
      expect(await deliveries()).toHaveLength(1);
    });
  });

  it('classifies an invalid phone number and an invalid size as permanent, with stable codes', async () => {
    const phone = await client.fulfillOrder(request('order-1', '+233241234567'), 'rec-7:deliver').catch((e) => e);
    expect(phone).toBeInstanceOf(PermanentError);
    expect(phone).toMatchObject({
      code: 'invalid_phone',
      options: { httpStatus: 400 },
      message: 'at-ishare answered 400: Invalid phone number: 0241234567 is not an AirtelTigo number',
    });
    const size = await client.fulfillOrder(request('order-1', '0271234567', 9), 'rec-8:deliver').catch((e) => e);
    expect(size).toBeInstanceOf(PermanentError);
    expect(size).toMatchObject({ code: 'invalid_size', options: { httpStatus: 400 } });
    expect(await deliveries()).toEqual([]);
  });

  it('raises InsufficientBalanceError for an empty float, and delivers under the same key once topped up', async () => {
    await control('/at-ishare/balance', 'PUT', { balance: 2 });
    const empty = await client.fulfillOrder(request(), 'rec-9:deliver').catch((e) => e);
    expect(empty).toBeInstanceOf(InsufficientBalanceError);
    expect(empty).toBeInstanceOf(PermanentError);
    expect(empty).toMatchObject({
      code: 'insufficient_balance',
      balanceMinor: 200,
      requiredMinor: 450,
      options: { httpStatus: 402 },
    });
    await control('/at-ishare/balance', 'PUT', { balance: 20 });
    expect((await client.fulfillOrder(request(), 'rec-9:deliver')).status).toBe('delivered');
  });

  it('classifies the reseller’s SERVICE_UNAVAILABLE as transient, honouring Retry-After', async () => {
    await control('/at-ishare/failures', 'POST', { failure: 'unavailable', remaining: 1 });
    const down = await client.fulfillOrder(request(), 'rec-10:deliver').catch((e) => e);
    expect(down).toBeInstanceOf(TransientError);
    expect(down).toMatchObject({ code: 'provider_unavailable', options: { httpStatus: 503, retryAfterMs: 30_000 } });
  });

  it('treats an injected 503 and an injected 429 as transient', async () => {
    await control('/faults/at-ishare', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    const down = await client.fulfillOrder(request(), 'rec-11:deliver').catch((e) => e);
    expect(down).toBeInstanceOf(TransientError);
    expect(down).toMatchObject({ code: 'provider_unavailable', options: { httpStatus: 503 } });

    await control('/faults/at-ishare', 'PUT', { errorRate: 1, statusCode: 429, retryAfterSeconds: 5, remaining: 1 });
    const limited = await client.balance().catch((e) => e);
    expect(limited).toMatchObject({ name: 'TransientError', code: 'rate_limited', options: { retryAfterMs: 5_000 } });
    expect(await deliveries()).toEqual([]);
  });

  it('treats a reseller that never answers as a transient timeout, and delivers nothing', async () => {
    await control('/faults/at-ishare', 'PUT', { timeoutRate: 1, remaining: 1 });
    const error = await client.fulfillOrder(request(), 'rec-12:deliver').catch((e) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ code: 'timeout' });
    expect(await deliveries()).toEqual([]);
  });

  it('treats a wrong API key as a permanent "unauthorized" error, and keeps the key out of the log', async () => {
    const wrongKey = new AtIshareClient({ baseUrl: `${base}/at-ishare`, apiKey: 'not-the-key', timeoutMs: 500 });
    const refused = await captureProviderCalls(() => wrongKey.fulfillOrder(request(), 'rec-13:deliver'));
    expect(!refused.ok && refused.error).toMatchObject({ name: 'PermanentError', code: 'unauthorized' });
    const ok = await captureProviderCalls(() => client.fulfillOrder(request(), 'rec-13:deliver'));
    expect(ok.calls[0]).toMatchObject({
      provider: 'at-ishare',
      method: 'POST',
      httpStatus: 200,
      request: { phoneNumber: '0271234567', sizeGb: 1, orderId: 'order-1' },
    });
    expect(JSON.stringify([...refused.calls, ...ok.calls])).not.toContain(API_KEY);
  });

  it('refuses a second delivery for the same order under another key as a permanent duplicate', async () => {
    await client.fulfillOrder(request(), 'rec-14:deliver');
    const duplicate = await client.fulfillOrder(request(), 'rec-15:deliver').catch((e) => e);
    expect(duplicate).toMatchObject({ name: 'PermanentError', code: 'duplicate_order', options: { httpStatus: 409 } });
  });

  it('answers an unknown reference with a permanent not_found', async () => {
    await expect(client.verifyFulfillment('ATINOPE')).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'not_found',
    });
  });
});

describe('AT-iShare configuration and sizes', () => {
  it('reads AT_ISHARE_API_URL, AT_ISHARE_API_KEY and AT_ISHARE_TIMEOUT_MS', () => {
    expect(
      atIshareEnvSchema.parse({ AT_ISHARE_API_URL: 'http://localhost:4010/at-ishare', AT_ISHARE_API_KEY: 'k' }),
    ).toEqual({ baseUrl: 'http://localhost:4010/at-ishare', apiKey: 'k', timeoutMs: 20_000 });
    expect(() => atIshareEnvSchema.parse({ AT_ISHARE_API_URL: 'nope' })).toThrow(
      /AT_ISHARE_API_URL[\s\S]*AT_ISHARE_API_KEY/,
    );
  });

  it('refuses to build a client from a bad config, naming the field', () => {
    expect(() => new AtIshareClient({ baseUrl: 'ftp://x', apiKey: '' })).toThrow(/baseUrl[\s\S]*apiKey/);
  });

  it('reads the seed’s sizes as whole gigabytes and refuses anything else as invalid_size', () => {
    expect(parseBundleSize('1GB')).toBe(1);
    expect(parseBundleSize(' 10 gb ')).toBe(10);
    expect(() => parseBundleSize('1.5GB')).toThrow(expect.objectContaining({ code: 'invalid_size' }));
    expect(() => parseBundleSize('lots')).toThrow(PermanentError);
  });
});
