import type { AddressInfo } from 'node:net';
import { captureProviderCalls, PermanentError, TransientError } from '@handover/core';
import { createSandbox, salesforceEmulator } from '@handover/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { operatorSystemEnvSchema } from '../src/operator-system/env';
import { OperatorSystemClient } from '../src/operator-system/operatorSystemClient';

const CLIENT_ID = 'operator-system-client-id';
const CLIENT_SECRET = 'operator-system-client-secret-0123';

describe('OperatorSystemClient against the sandbox emulator', () => {
  let sandbox: Awaited<ReturnType<typeof createSandbox>>;
  let base: string;
  let client: OperatorSystemClient;

  const clientWith = (overrides: { clientSecret?: string; now?: () => number; timeoutMs?: number } = {}) =>
    new OperatorSystemClient(
      {
        baseUrl: `${base}/salesforce`,
        clientId: CLIENT_ID,
        clientSecret: overrides.clientSecret ?? CLIENT_SECRET,
        timeoutMs: overrides.timeoutMs ?? 1_000,
        tokenTtlSeconds: 3_600,
      },
      { now: overrides.now },
    );
  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
  };
  const calls = async (endpoint: string) => {
    const all = (await control('/calls?emulator=salesforce')) as Record<string, { endpoints: Record<string, number> }>;
    return all.salesforce?.endpoints[endpoint] ?? 0;
  };
  const seedOrder = async () =>
    ((await control('/salesforce/orders', 'POST', { AccountId: '001Sb00000000001AA' })) as { Id: string }).Id;

  beforeAll(async () => {
    sandbox = await createSandbox({
      emulators: [
        salesforceEmulator({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, provisionSecret: 'x'.repeat(32) }),
      ],
      publicUrl: 'http://sandbox.test',
      hangMs: 2_000,
    });
    await sandbox.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    await control('/reset', 'POST');
    client = clientWith();
  });

  it('writes billing ids and status back to the order and reads them, with one token for both calls', async () => {
    const orderId = await seedOrder();
    await client.updateOrder(orderId, {
      Status: 'Provisioned',
      WHMCS_Order_ID__c: '12',
      Activation_Status__c: 'Activated',
    });
    expect(await client.getOrder(orderId)).toMatchObject({
      Id: orderId,
      Status: 'Provisioned',
      WHMCS_Order_ID__c: '12',
    });
    expect(await control('/salesforce/patches')).toMatchObject({ patches: [{ orderId, status: 204 }] });
    expect(await calls('POST /salesforce/services/oauth2/token')).toBe(1);
  });

  it('creates an order for review', async () => {
    const { id } = await client.createOrder({ AccountId: '001Sb00000000001AA', Handover_Order_Id__c: 'order-1' });
    expect(await client.getOrder(id)).toMatchObject({ Status: 'Pending Review', Handover_Order_Id__c: 'order-1' });
  });

  it('fetches a new token once when the session expired (401 INVALID_SESSION_ID) and the call then lands', async () => {
    const orderId = await seedOrder();
    await client.getOrder(orderId);
    await control('/salesforce/tokens/expire', 'POST');
    await client.updateOrder(orderId, { Status: 'Failed' });
    expect(await calls('POST /salesforce/services/oauth2/token')).toBe(2);
    expect(await calls('PATCH /salesforce/services/data/:version/sobjects/Order/:id')).toBe(2);
  });

  it('fetches a new token when its counted lifetime is over, before any 401', async () => {
    let now = Date.now();
    const timed = clientWith({ now: () => now });
    const orderId = await seedOrder();
    await timed.getOrder(orderId);
    now += 3_600_000;
    await timed.getOrder(orderId);
    expect(await calls('POST /salesforce/services/oauth2/token')).toBe(2);
    expect(await calls('GET /salesforce/services/data/:version/sobjects/Order/:id')).toBe(2);
  });

  it('classifies refused credentials, refused fields and a missing order as permanent', async () => {
    const orderId = await seedOrder();
    await expect(clientWith({ clientSecret: 'wrong' }).getOrder(orderId)).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'unauthorized',
      options: { httpStatus: 400 },
    });
    const refused = await client.updateOrder(orderId, { Status: 'Shipped' }).catch((e) => e);
    expect(refused).toBeInstanceOf(PermanentError);
    expect(refused).toMatchObject({ code: 'rejected', options: { httpStatus: 400 } });
    expect(refused.message).toContain('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    await expect(client.updateOrder('801000000000000AAA', { Status: 'Failed' })).rejects.toMatchObject({
      code: 'not_found',
      options: { httpStatus: 404 },
    });
  });

  it('reports a failing write-back as transient, so the caller retries it until it lands', async () => {
    const orderId = await seedOrder();
    await control('/salesforce/patch-failures', 'PUT', { count: 2, statusCode: 503, errorCode: 'SERVER_UNAVAILABLE' });
    const outcomes: string[] = [];
    for (;;) {
      try {
        await client.updateOrder(orderId, { Status: 'Provisioned' });
        outcomes.push('landed');
        break;
      } catch (error) {
        expect(error).toBeInstanceOf(TransientError);
        outcomes.push((error as TransientError).code);
      }
    }
    expect(outcomes).toEqual(['provider_unavailable', 'provider_unavailable', 'landed']);
    expect(await client.getOrder(orderId)).toMatchObject({ Status: 'Provisioned' });
  });

  it('times out an operator system that does not answer', async () => {
    const orderId = await seedOrder();
    await client.getOrder(orderId);
    await control('/faults/salesforce', 'PUT', { timeoutRate: 1, pathIncludes: 'sobjects', remaining: 1 });
    await expect(clientWith({ timeoutMs: 200 }).getOrder(orderId)).rejects.toMatchObject({
      name: 'TransientError',
      code: 'timeout',
    });
  });

  it('reads the personalised catalog for an account', async () => {
    const catalog = await client.personalizedCatalog('001Sb00000000002AA');
    expect(catalog.eligibility).toEqual({ Internet_Eligibility__c: ['Apartment 1G'] });
    expect(catalog.products.map((p) => p.Name)).toEqual(['Apartment Internet 1G', 'eSIM Data 5GB', 'VPN Router']);
    await expect(client.personalizedCatalog('001000000000000AAA')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps the client secret and the access token out of the reported calls', async () => {
    const captured = await captureProviderCalls(() => client.personalizedCatalog('001Sb00000000001AA'));
    expect(captured.ok).toBe(true);
    expect(captured.calls[0]).toMatchObject({
      provider: 'operator-system',
      request: { client_secret: '[redacted]', client_id: CLIENT_ID },
      response: { access_token: '[redacted]', signature: '[redacted]' },
    });
    const logged = JSON.stringify(captured.calls);
    expect(logged).not.toContain(CLIENT_SECRET);
    expect(logged).not.toMatch(/00DSb0000000001EAA!/);
  });

  it('upserts the Order of a Handover order by that id: made once (201), found again (200), never two', async () => {
    const handoverOrderId = '6c1f0a52-1f39-4c1e-9b7e-2f1d0f3e8a11';
    const fields = { AccountId: '001Sb00000000001AA', EffectiveDate: '2026-12-03', Description: 'Handover order HO-1' };
    const made = await client.upsertOrderByHandoverId(handoverOrderId, fields);
    expect(made.created).toBe(true);
    const again = await client.upsertOrderByHandoverId(handoverOrderId, {
      ...fields,
      Description: 'Handover order HO-1 again',
    });
    expect(again).toEqual({ id: made.id, created: false });
    const { orders } = (await control('/salesforce/orders')) as { orders: Record<string, unknown>[] };
    expect(orders).toEqual([
      expect.objectContaining({
        Id: made.id,
        Status: 'Pending Review',
        Handover_Order_Id__c: handoverOrderId,
        Description: 'Handover order HO-1 again',
      }),
    ]);
    await expect(client.upsertOrderByHandoverId(handoverOrderId, { Bogus__c: 1 })).rejects.toMatchObject({
      code: 'rejected',
    });
  });

  it('finds an Account by its customer number, and none for a number the org does not have', async () => {
    expect(await client.findAccountByCustomerNumber('CN-0042')).toEqual({ id: '001Sb00000000001AA' });
    expect(await client.findAccountByCustomerNumber('CN-9999')).toBeNull();
  });
});

describe('Operator system configuration', () => {
  it('reads the OPERATOR_SYSTEM_* variables', () => {
    expect(
      operatorSystemEnvSchema.parse({
        OPERATOR_SYSTEM_URL: 'http://localhost:4010/salesforce',
        OPERATOR_SYSTEM_CLIENT_ID: 'id',
        OPERATOR_SYSTEM_CLIENT_SECRET: 'secret',
      }),
    ).toEqual({
      baseUrl: 'http://localhost:4010/salesforce',
      tokenUrl: undefined,
      clientId: 'id',
      clientSecret: 'secret',
      apiVersion: 'v62.0',
      timeoutMs: 15_000,
      tokenTtlSeconds: 7_200,
    });
    expect(() => new OperatorSystemClient({ baseUrl: 'nope', clientId: '', clientSecret: 's' })).toThrow(
      /baseUrl[\s\S]*clientId/,
    );
  });
});
