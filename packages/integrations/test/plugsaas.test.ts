import type { AddressInfo } from 'node:net';
import { type ConnectionTestContext, captureProviderCalls, PermanentError, TransientError } from '@handover/core';
import { createSandbox, plugsaasEmulator } from '@handover/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createM365DomainAdapter, PlugsaasClient, type PlugsaasOrderRequest, plugsaasEnvSchema } from '../src';

const API_KEY = 'plugsaas-test-key-0123456789';
const PASSWORD = 'Ms-Account-Pa55!';

const order = (domain = 'mybusiness.com'): PlugsaasOrderRequest => ({
  domain,
  forwardingUrl: 'https://example.com',
  names: ['John Doe', 'Jane Smith'],
  microsoftEmail: 'ms-account@outlook.com',
  microsoftPassword: PASSWORD,
});

describe('PlugsaasClient against the sandbox emulator', () => {
  let sandbox: Awaited<ReturnType<typeof createSandbox>>;
  let base: string;
  let client: PlugsaasClient;

  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? undefined : res.json();
  };
  const emulatorOrders = async () => ((await control('/plugsaas/orders')) as { orders: { orderId: string }[] }).orders;
  const calls = async () =>
    ((await control('/calls?emulator=plugsaas')) as Record<string, { endpoints: Record<string, number> }>).plugsaas;

  beforeAll(async () => {
    sandbox = await createSandbox({
      emulators: [plugsaasEmulator({ apiKey: API_KEY })],
      publicUrl: 'http://sandbox.test',
      hangMs: 2_000,
    });
    await sandbox.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
    client = new PlugsaasClient({ baseUrl: `${base}/plugsaas`, apiKey: API_KEY, timeoutMs: 500 });
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    await control('/reset', 'POST');
  });

  it('creates an order, then reads the nameservers PlugSaaS assigned to it', async () => {
    const { orderId } = await client.addOrder(order(), 'record-1:plugsaas_order');
    expect(await emulatorOrders()).toMatchObject([
      { orderId, domain: 'mybusiness.com', names: ['John Doe', 'Jane Smith'] },
    ]);
    expect(await client.getNameservers(orderId)).toEqual(['ns1.plugsaas.test', 'ns2.plugsaas.test']);
  });

  it('sends the idempotency key, so a retried addOrder returns the same single order', async () => {
    const first = await client.addOrder(order(), 'record-2:plugsaas_order');
    const retried = await client.addOrder(order(), 'record-2:plugsaas_order');
    expect(retried).toEqual(first);
    expect(await emulatorOrders()).toHaveLength(1);
    const counted = await calls();
    expect(counted?.endpoints['POST /plugsaas/api/addOrder']).toBe(2);
    expect(counted).toMatchObject({ idempotencyKeys: { 'record-2:plugsaas_order': 2 } });
  });

  it('never lets the Microsoft password into the reported calls, whether the call succeeds or is refused', async () => {
    const ok = await captureProviderCalls(() => client.addOrder(order(), 'record-3:plugsaas_order'));
    const refused = await captureProviderCalls(() =>
      client.addOrder({ ...order(), names: [] }, 'record-4:plugsaas_order'),
    );
    expect(ok.ok).toBe(true);
    expect(refused.ok).toBe(false);
    const reported = [...ok.calls, ...refused.calls];
    expect(reported).toHaveLength(2);
    expect(reported[0]).toMatchObject({
      provider: 'plugsaas',
      method: 'POST',
      httpStatus: 200,
      request: {
        domain: 'mybusiness.com',
        microsoft_email: 'ms-account@outlook.com',
        microsoft_password: '[redacted]',
      },
    });
    expect(JSON.stringify(reported)).not.toContain(PASSWORD);
    expect(JSON.stringify(reported)).not.toContain(API_KEY);
  });

  it('turns a 422 refusal into a PermanentError carrying PlugSaaS’s message', async () => {
    const error = await client.addOrder({ ...order('not a domain') }, 'record-5:plugsaas_order').catch((e) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({
      code: 'rejected',
      options: { httpStatus: 422 },
      message: 'plugsaas answered 422: domain: must be a domain name such as mybusiness.com',
    });
  });

  it('refuses a reused idempotency key with a different order as a PermanentError', async () => {
    await client.addOrder(order(), 'record-6:plugsaas_order');
    const error = await client.addOrder(order('other.com'), 'record-6:plugsaas_order').catch((e) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect(await emulatorOrders()).toHaveLength(1);
  });

  it('treats an injected 503 as a TransientError', async () => {
    await control('/faults/plugsaas', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    const error = await client.addOrder(order(), 'record-7:plugsaas_order').catch((e) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ code: 'provider_unavailable', options: { httpStatus: 503 } });
    expect(await emulatorOrders()).toEqual([]);
  });

  it('treats a PlugSaaS that never answers as a TransientError timeout', async () => {
    await control('/faults/plugsaas', 'PUT', { timeoutRate: 1, pathIncludes: 'getNameservers', remaining: 1 });
    const { orderId } = await client.addOrder(order(), 'record-8:plugsaas_order');
    const error = await client.getNameservers(orderId).catch((e) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ code: 'timeout' });
    expect(await client.getNameservers(orderId)).toEqual(['ns1.plugsaas.test', 'ns2.plugsaas.test']);
  });

  it('treats a wrong API key as a permanent "unauthorized" error', async () => {
    const wrongKey = new PlugsaasClient({ baseUrl: `${base}/plugsaas`, apiKey: 'not-the-key', timeoutMs: 500 });
    const error = await wrongKey.addOrder(order(), 'record-9:plugsaas_order').catch((e) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ code: 'unauthorized', options: { httpStatus: 401 } });
    expect(await emulatorOrders()).toEqual([]);
  });

  it('deletes an order for a rollback, and takes an order already gone as deleted', async () => {
    const { orderId } = await client.addOrder(order(), 'record-10:plugsaas_order');
    await client.deleteOrder(orderId);
    expect(await emulatorOrders()).toEqual([]);
    await expect(client.deleteOrder(orderId)).resolves.toBeUndefined();
    await expect(client.getNameservers(orderId)).rejects.toMatchObject({
      name: 'PermanentError',
      options: { httpStatus: 404 },
    });
  });

  it('tests the connection with a read that changes nothing, and says what it checked', async () => {
    const testConnection = (apiKey: string, baseUrl = `${base}/plugsaas`) =>
      createM365DomainAdapter(new PlugsaasClient({ baseUrl, apiKey, timeoutMs: 500 })).testConnection?.(
        { inventoryPool: 'microsoft-365' },
        // PlugSaaS's key comes from the environment: the test reads neither the database nor the key ring.
        {} as ConnectionTestContext,
      );
    expect(await testConnection(API_KEY)).toEqual({
      ok: true,
      message: `PlugSaaS at ${base}/plugsaas accepted the API key (PLUGSAAS_API_KEY).`,
    });
    expect(await testConnection('not-the-key')).toEqual({
      ok: false,
      message: `PlugSaaS at ${base}/plugsaas refused the API key (PLUGSAAS_API_KEY): HTTP 401.`,
    });
    await control('/faults/plugsaas', 'PUT', { errorRate: 1, statusCode: 503 });
    expect(await testConnection(API_KEY)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^PlugSaaS at .* could not be reached: /),
    });
    await control('/faults/plugsaas', 'DELETE');
    expect(await emulatorOrders()).toEqual([]);
  });
});

describe('PlugSaaS configuration', () => {
  it('reads PLUGSAAS_API_URL, PLUGSAAS_API_KEY and PLUGSAAS_TIMEOUT_MS', () => {
    expect(
      plugsaasEnvSchema.parse({ PLUGSAAS_API_URL: 'http://localhost:4010/plugsaas', PLUGSAAS_API_KEY: 'k' }),
    ).toEqual({ baseUrl: 'http://localhost:4010/plugsaas', apiKey: 'k', timeoutMs: 15000 });
  });

  it('refuses to build a client from a bad config, naming the field', () => {
    expect(() => new PlugsaasClient({ baseUrl: 'ftp://x', apiKey: '' })).toThrow(/baseUrl[\s\S]*apiKey/);
  });
});
