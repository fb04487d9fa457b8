import type { AddressInfo } from 'node:net';
import { captureProviderCalls, PermanentError, TransientError } from '@handover/core';
import { createSandbox, whmcsEmulator } from '@handover/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { whmcsEnvSchema } from '../src/drivers/whmcs/env';
import { type NewWhmcsClient, WhmcsClient } from '../src/drivers/whmcs/whmcsClient';

const IDENTIFIER = 'whmcs-client-test-identifier';
const SECRET = 'whmcs-client-test-secret-0123';
const PASSWORD = 'Customer-Pa55!';

const customer = (email = 'taro@example.com'): NewWhmcsClient => ({
  firstName: 'Taro',
  lastName: 'Yamada',
  email,
  customerNumber: 'CN-0042',
  address1: '1-2-3 Shibuya',
  city: 'Tokyo',
  state: 'Tokyo',
  postcode: '150-0002',
  country: 'JP',
  phoneNumber: '+81.312345678',
  password: PASSWORD,
});

describe('WhmcsClient against the sandbox emulator', () => {
  let sandbox: Awaited<ReturnType<typeof createSandbox>>;
  let base: string;
  let client: WhmcsClient;

  const clientWith = (overrides: Partial<ConstructorParameters<typeof WhmcsClient>[0]> = {}) =>
    new WhmcsClient({
      baseUrl: `${base}/whmcs`,
      identifier: IDENTIFIER,
      secret: SECRET,
      customerNumberFieldId: 1,
      timeoutMs: 500,
      retries: 2,
      retryInitialDelayMs: 10,
      ...overrides,
    });
  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
  };
  const apiCalls = async () => {
    const calls = (await control('/calls?emulator=whmcs')) as Record<string, { endpoints: Record<string, number> }>;
    return calls.whmcs?.endpoints['POST /whmcs/includes/api.php'] ?? 0;
  };

  beforeAll(async () => {
    sandbox = await createSandbox({
      emulators: [whmcsEmulator({ identifier: IDENTIFIER, secret: SECRET })],
      publicUrl: 'http://sandbox.test',
      hangMs: 2_000,
    });
    await sandbox.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
    client = clientWith();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    await control('/reset', 'POST');
  });

  it('adds a client with its customer number and reads it back by id and by email', async () => {
    const { clientId } = await client.addClient(customer());
    expect(clientId).toBe(1);
    const expected = { id: 1, email: 'taro@example.com', customerNumber: 'CN-0042', status: 'Active' };
    expect(await client.getClientDetails({ clientId })).toMatchObject(expected);
    expect(await client.getClientDetails({ email: 'taro@example.com' })).toMatchObject(expected);
  });

  it('classifies WHMCS refusals into stable codes', async () => {
    await client.addClient(customer());
    await expect(client.addClient(customer())).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'client_exists',
      message: 'whmcs refused: A user already exists with that email address',
    });
    await expect(client.getClientDetails({ clientId: 99 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.moduleCreate(42)).rejects.toMatchObject({ code: 'not_found' });
    const wrongSecret = clientWith({ secret: 'not-the-secret' });
    const refused = await wrongSecret.getPayMethods(1).catch((e) => e);
    expect(refused).toBeInstanceOf(PermanentError);
    expect(refused).toMatchObject({ code: 'unauthorized', options: { httpStatus: 403 } });
  });

  it('reports whether the client has a pay method, and hands out an SSO link to add one', async () => {
    const { clientId } = await client.addClient(customer());
    expect(await client.hasPaymentMethod(clientId)).toBe(false);
    const { redirectUrl } = await client.createSsoToken(clientId);
    expect(redirectUrl).toMatch(/^http:\/\/sandbox\.test\/whmcs\/oauth\/singlesignon\.php\?access_token=/);
    await control(`/whmcs/clients/${clientId}/paymethods`, 'POST');
    expect(await client.hasPaymentMethod(clientId)).toBe(true);
    expect(await client.getPayMethods(clientId)).toMatchObject([{ type: 'RemoteCreditCard', cardLastFour: '4242' }]);
  });

  it('adds and accepts an order once, however often a retry asks, and shows its service and invoice', async () => {
    const { clientId } = await client.addClient(customer());
    const order = { clientId, productId: 1, paymentMethod: 'stripe', operatorOrderId: '801Sb000000001AAA' };
    const placed = await client.addOrder(order);
    expect(placed).toMatchObject({
      orderId: 1,
      invoiceId: 1,
      serviceIds: [1],
      notes: 'operator_order_id=801Sb000000001AAA',
    });
    expect(await client.addOrder(order)).toMatchObject({ orderId: 1, serviceIds: [1] });
    await client.acceptOrder(placed.orderId);
    await client.acceptOrder(placed.orderId);
    expect(await client.getOrder(placed.orderId)).toMatchObject({ status: 'Active' });
    const state = (await control('/whmcs/state')) as { orders: unknown[] };
    expect(state.orders).toHaveLength(1);
    expect(await client.getClientsProducts({ clientId })).toMatchObject([
      { id: 1, orderId: 1, productId: 1, status: 'Active', name: 'Home Internet 1 Gbps' },
    ]);
    expect(await client.getInvoices(clientId)).toMatchObject([{ id: 1, total: '49.00', status: 'Unpaid' }]);
    await expect(
      client.addOrder({ ...order, operatorOrderId: 'other', paymentMethod: 'bitcoin' }),
    ).rejects.toMatchObject({
      code: 'invalid_payment_method',
    });
  });

  it('adds a customer who has not given an address yet with skipvalidation, and orders each line of one operator order once', async () => {
    const { clientId } = await client.addClient({ firstName: 'Ama', lastName: '-', email: 'ama@example.com' });
    expect(await client.getClientDetails({ clientId })).toMatchObject({
      email: 'ama@example.com',
      customerNumber: null,
    });
    const line = (reference: string) => ({
      clientId,
      productId: 2,
      paymentMethod: 'stripe',
      operatorOrderId: '801Sb000000002AAA',
      reference,
    });
    const first = await client.addOrder(line('record-1:add_order'));
    const second = await client.addOrder(line('record-2:add_order'));
    expect(second.orderId).not.toBe(first.orderId);
    expect(await client.addOrder(line('record-1:add_order'))).toMatchObject({ orderId: first.orderId });
    expect(first.notes).toBe('operator_order_id=801Sb000000002AAA; handover_ref=record-1:add_order');
    expect(((await control('/whmcs/state')) as { orders: unknown[] }).orders).toHaveLength(2);
  });

  it('runs module actions and names a product without a module', async () => {
    const { clientId } = await client.addClient(customer());
    const internet = await client.addOrder({ clientId, productId: 1, paymentMethod: 'stripe', operatorOrderId: 'a' });
    const esim = await client.addOrder({ clientId, productId: 2, paymentMethod: 'stripe', operatorOrderId: 'b' });
    await client.moduleCreate(internet.serviceIds[0] ?? 0);
    await client.moduleSuspend(internet.serviceIds[0] ?? 0, 'Overdue');
    expect(await client.getClientsProducts({ serviceId: internet.serviceIds[0] })).toMatchObject([
      { status: 'Suspended' },
    ]);
    await client.moduleTerminate(internet.serviceIds[0] ?? 0);
    await expect(client.moduleCreate(esim.serviceIds[0] ?? 0)).rejects.toMatchObject({ code: 'no_module' });
  });

  it('keeps the API secret, the password and the SSO token out of the reported calls', async () => {
    const captured = await captureProviderCalls(async () => {
      const { clientId } = await client.addClient(customer());
      await client.createSsoToken(clientId);
    });
    expect(captured.ok).toBe(true);
    expect(captured.calls).toHaveLength(2);
    expect(captured.calls[0]).toMatchObject({
      provider: 'whmcs',
      method: 'POST',
      httpStatus: 200,
      request: { action: 'AddClient', secret: '[redacted]', identifier: '[redacted]', password2: '[redacted]' },
    });
    expect(captured.calls[1]).toMatchObject({ response: { access_token: '[redacted]', redirect_url: '[redacted]' } });
    const logged = JSON.stringify(captured.calls);
    for (const secret of [SECRET, IDENTIFIER, PASSWORD, 'access_token=']) expect(logged).not.toContain(secret);
  });

  it('retries a read after a transient 503, but not a write', async () => {
    const { clientId } = await client.addClient(customer());
    await control('/faults/whmcs', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    expect(await client.getPayMethods(clientId)).toEqual([]);
    expect(await apiCalls()).toBe(3);

    await control('/faults/whmcs', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    const error = await client.addClient(customer('hanako@example.com')).catch((e) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ code: 'provider_unavailable', options: { httpStatus: 503 } });
    expect(await apiCalls()).toBe(4);
  });

  it('times out a WHMCS that does not answer, as a TransientError', async () => {
    const noRetry = clientWith({ retries: 0, timeoutMs: 200 });
    await control('/faults/whmcs', 'PUT', { timeoutRate: 1, remaining: 1 });
    await expect(noRetry.getPayMethods(1)).rejects.toMatchObject({ name: 'TransientError', code: 'timeout' });
  });

  it('opens the breaker after repeated failures, refuses calls with circuit_open, and closes after a good probe', async () => {
    const guarded = clientWith({ retries: 0, breakerThreshold: 2, breakerOpenMs: 300 });
    const { clientId } = await client.addClient(customer());
    await control('/whmcs/down', 'PUT', { down: true });
    for (let i = 0; i < 2; i += 1) {
      await expect(guarded.getPayMethods(clientId)).rejects.toMatchObject({ code: 'provider_unavailable' });
    }
    expect(guarded.breakerState).toBe('open');
    const before = await apiCalls();
    const open = await guarded.getPayMethods(clientId).catch((e) => e);
    expect(open).toBeInstanceOf(TransientError);
    expect(open.code).toBe('circuit_open');
    expect(open.options.retryAfterMs).toBeGreaterThan(0);
    expect(open.options.retryAfterMs).toBeLessThanOrEqual(300);
    expect(await apiCalls()).toBe(before);

    await control('/whmcs/down', 'PUT', { down: false });
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await guarded.getPayMethods(clientId)).toEqual([]);
    expect(guarded.breakerState).toBe('closed');
  });

  it('counts only transient failures toward the breaker', async () => {
    const guarded = clientWith({ retries: 0, breakerThreshold: 2, breakerOpenMs: 300 });
    for (let i = 0; i < 3; i += 1) {
      await expect(guarded.getClientDetails({ clientId: 99 })).rejects.toMatchObject({ code: 'not_found' });
    }
    expect(guarded.breakerState).toBe('closed');
  });
});

describe('WHMCS configuration', () => {
  it('reads the WHMCS_* variables into the client config', () => {
    expect(
      whmcsEnvSchema.parse({
        WHMCS_API_URL: 'http://localhost:4010/whmcs',
        WHMCS_API_IDENTIFIER: 'id',
        WHMCS_API_SECRET: 'secret',
        WHMCS_CUSTOMER_NUMBER_FIELD_ID: '7',
      }),
    ).toMatchObject({
      baseUrl: 'http://localhost:4010/whmcs',
      customerNumberFieldId: 7,
      timeoutMs: 15_000,
      retries: 2,
      breakerThreshold: 5,
      breakerOpenMs: 30_000,
    });
  });

  it('names each missing or bad variable', () => {
    const parsed = whmcsEnvSchema.safeParse({ WHMCS_API_URL: 'ftp://x', WHMCS_CUSTOMER_NUMBER_FIELD_ID: 'abc' });
    expect(parsed.success).toBe(false);
    const message = JSON.stringify(parsed.error?.issues.map((i) => i.path[0]));
    for (const name of [
      'WHMCS_API_URL',
      'WHMCS_API_IDENTIFIER',
      'WHMCS_API_SECRET',
      'WHMCS_CUSTOMER_NUMBER_FIELD_ID',
    ]) {
      expect(message).toContain(name);
    }
  });
});
