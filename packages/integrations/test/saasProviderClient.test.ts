import type { AddressInfo } from 'node:net';
import { saasMultitenantConfigSchema } from '@handover/contracts/drivers/saas-multitenant';
import {
  captureProviderCalls,
  DEFAULT_RETRY_POLICY,
  nextAttemptAt,
  PermanentError,
  TransientError,
} from '@handover/core';
import { createSandbox, saasProviderEmulator } from '@handover/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providerClientConfig } from '../src/drivers/saas-multitenant/providerConfig';
import { type OnboardRequest, SaasProviderClient } from '../src/drivers/saas-multitenant/saasProviderClient';

const POS_SECRET = 'point-of-sale-secret-0123456789';
const DEFAULT_SECRET = 'default-provider-secret-0123456789';

const order = (orderItemId = 'item-1'): OnboardRequest => ({
  orderId: 'order-2001',
  orderItemId,
  productId: 'prod-pos',
  externalProductRef: 'pos-cloud',
  plan: 'starter',
  customer: { email: 'owner@corner-cafe.example', name: 'Ada Owner' },
  options: { business_name: 'Corner Café', locations: 1 },
  trialDays: null,
});

describe('SaasProviderClient against the sandbox SaaS provider', () => {
  let sandbox: Awaited<ReturnType<typeof createSandbox>>;
  let base: string;
  let client: SaasProviderClient;

  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? undefined : res.json();
  };
  const tenants = async () => ((await control('/saas-provider/tenants')) as { tenants: unknown[] }).tenants;
  const calls = async () =>
    (
      (await control('/calls?emulator=saas-provider')) as Record<
        string,
        { endpoints: Record<string, number>; idempotencyKeys: Record<string, number>; faulted: number }
      >
    )['saas-provider'];
  const posClient = (options: { now?: () => Date } = {}) =>
    new SaasProviderClient(
      { provider: 'point-of-sale', baseUrl: `${base}/saas/point-of-sale`, timeoutMs: 500 },
      options,
    );
  const tenantOf = (reference: string) => ({
    externalReference: reference,
    orderId: 'order-2001',
    orderItemId: 'item-1',
  });

  beforeAll(async () => {
    sandbox = await createSandbox({
      emulators: [saasProviderEmulator({ defaultSecret: DEFAULT_SECRET, secrets: { 'point-of-sale': POS_SECRET } })],
      publicUrl: 'http://sandbox.test',
      hangMs: 2_000,
    });
    await sandbox.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
    client = posClient();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    await control('/reset', 'POST');
  });

  it('onboards the order item and answers its tenant, customer, account links and workspace URL', async () => {
    const tenant = await client.onboard(order(), POS_SECRET);
    expect(tenant).toEqual({
      externalReference: expect.stringMatching(/^mkt_/),
      externalTenantId: expect.stringMatching(/^tnt_/),
      externalCustomerId: expect.stringMatching(/^cus_/),
      externalSubscriptionId: expect.stringMatching(/^sub_/),
      externalUserId: expect.stringMatching(/^usr_/),
      externalWorkspaceUrl: `http://sandbox.test/saas/point-of-sale/workspace/${tenant.externalTenantId}`,
      status: 'active',
      plan: 'starter',
    });
    expect(await calls()).toMatchObject({ idempotencyKeys: { 'order-2001:item-1': 1 } });
  });

  it('answers a retry at once with the same tenant: the retry is signed afresh, not replayed', async () => {
    const first = await client.onboard(order(), POS_SECRET);
    const retried = await client.onboard(order(), POS_SECRET);
    expect(retried).toEqual(first);
    expect(await tenants()).toHaveLength(1);
    expect(await calls()).toMatchObject({ idempotencyKeys: { 'order-2001:item-1': 2 } });
  });

  it('resumes a suspended tenant, numbering each suspension cycle’s keys', async () => {
    const { externalReference } = await client.onboard(order(), POS_SECRET);
    for (const cycle of [1, 2]) {
      expect((await client.suspend({ ...tenantOf(externalReference), cycle }, POS_SECRET)).status).toBe('suspended');
      expect((await client.resume({ ...tenantOf(externalReference), cycle }, POS_SECRET)).status).toBe('active');
    }
    expect(await calls()).toMatchObject({
      idempotencyKeys: {
        'order-2001:item-1:suspend': 1,
        'order-2001:item-1:resume': 1,
        'order-2001:item-1:suspend:2': 1,
        'order-2001:item-1:resume:2': 1,
      },
    });
  });

  it('suspends the tenant, reads it back as suspended, upgrades and cancels it', async () => {
    const { externalReference } = await client.onboard(order(), POS_SECRET);
    const suspended = await client.suspend({ ...tenantOf(externalReference), reason: 'payment_failed' }, POS_SECRET);
    expect(suspended.status).toBe('suspended');
    expect(await client.status(externalReference, POS_SECRET)).toMatchObject({
      externalReference,
      status: 'suspended',
    });
    expect(await client.upgrade({ ...tenantOf(externalReference), plan: 'growth' }, POS_SECRET)).toMatchObject({
      plan: 'growth',
      status: 'suspended',
    });
    expect((await client.cancel(tenantOf(externalReference), POS_SECRET)).status).toBe('cancelled');
    expect(await calls()).toMatchObject({
      idempotencyKeys: {
        'order-2001:item-1:suspend': 1,
        'order-2001:item-1:upgrade:growth': 1,
        'order-2001:item-1:cancel': 1,
      },
    });
  });

  it('takes a refused signature (wrong secret, a clock off by more than five minutes, a 403) as permanent', async () => {
    const wrongSecret = await client.onboard(order(), DEFAULT_SECRET).catch((e) => e);
    expect(wrongSecret).toBeInstanceOf(PermanentError);
    expect(wrongSecret).toMatchObject({
      code: 'signature_refused',
      options: { httpStatus: 401 },
      message: 'point-of-sale answered 401: X-Handover-Signature does not match the request',
    });

    const late = posClient({ now: () => new Date(Date.now() - 10 * 60_000) });
    const stale = await late.onboard(order(), POS_SECRET).catch((e) => e);
    expect(stale).toMatchObject({ name: 'PermanentError', code: 'signature_refused' });
    expect(stale.message).toContain('within 300 s');

    await control('/saas-provider/failures', 'POST', { statusCode: 403, error: 'integration_disabled' });
    const forbidden = await client.onboard(order(), POS_SECRET).catch((e) => e);
    expect(forbidden).toMatchObject({
      name: 'PermanentError',
      code: 'signature_refused',
      options: { httpStatus: 403 },
    });
    expect(await tenants()).toEqual([]);
  });

  it('takes 404, 409 and 422 refusals as permanent, with the provider’s code', async () => {
    const missing = await client.status('mkt_missing', POS_SECRET).catch((e) => e);
    expect(missing).toMatchObject({ name: 'PermanentError', code: 'tenant_not_found', options: { httpStatus: 404 } });

    const invalid = await client.onboard({ ...order(), options: {} }, POS_SECRET).catch((e) => e);
    expect(invalid).toMatchObject({ name: 'PermanentError', code: 'validation_error', options: { httpStatus: 422 } });

    const { externalReference } = await client.onboard(order(), POS_SECRET);
    const plan = await client.upgrade({ ...tenantOf(externalReference), plan: 'platinum' }, POS_SECRET).catch((e) => e);
    expect(plan).toMatchObject({ name: 'PermanentError', code: 'unknown_plan', options: { httpStatus: 422 } });

    await client.cancel(tenantOf(externalReference), POS_SECRET);
    const cancelled = await client.suspend(tenantOf(externalReference), POS_SECRET).catch((e) => e);
    expect(cancelled).toMatchObject({ name: 'PermanentError', code: 'tenant_cancelled', options: { httpStatus: 409 } });
  });

  it('takes an onboard the provider refuses as permanent', async () => {
    await control('/saas-provider/failures', 'POST', { statusCode: 409, error: 'store_limit_reached' });
    const refused = await client.onboard(order(), POS_SECRET).catch((e) => e);
    expect(refused).toMatchObject({
      name: 'PermanentError',
      code: 'store_limit_reached',
      options: { httpStatus: 409 },
    });
  });

  it('treats an injected 503 as transient, and a 429 with its Retry-After', async () => {
    await control('/faults/saas-provider', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    const down = await client.onboard(order(), POS_SECRET).catch((e) => e);
    expect(down).toBeInstanceOf(TransientError);
    expect(down).toMatchObject({ code: 'provider_unavailable', options: { httpStatus: 503 } });

    await control('/faults/saas-provider', 'PUT', {
      errorRate: 1,
      statusCode: 429,
      retryAfterSeconds: 30,
      remaining: 1,
    });
    const limited = await client.onboard(order(), POS_SECRET).catch((e) => e);
    expect(limited).toMatchObject({ name: 'TransientError', code: 'rate_limited', options: { retryAfterMs: 30_000 } });
    expect(await tenants()).toEqual([]);
  });

  it('treats a provider that never answers as a transient timeout', async () => {
    await control('/faults/saas-provider', 'PUT', { timeoutRate: 1, pathIncludes: 'status', remaining: 1 });
    const { externalReference } = await client.onboard(order(), POS_SECRET);
    const error = await client.status(externalReference, POS_SECRET).catch((e) => e);
    expect(error).toMatchObject({ name: 'TransientError', code: 'timeout' });
    expect((await client.status(externalReference, POS_SECRET)).status).toBe('active');
  });

  it('retries a provider that is down as the retry policy says, then fails', async () => {
    await control('/faults/saas-provider', 'PUT', { errorRate: 1, statusCode: 503 });
    const attempts: unknown[] = [];
    let next: Date | null = new Date();
    for (let attempt = 1; next; attempt += 1) {
      attempts.push(await client.onboard(order(), POS_SECRET).catch((e) => e));
      next = nextAttemptAt(DEFAULT_RETRY_POLICY, attempt, new Date());
    }
    expect(attempts).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts);
    for (const error of attempts) expect(error).toMatchObject({ name: 'TransientError', code: 'provider_unavailable' });
    expect(await calls()).toMatchObject({ faulted: DEFAULT_RETRY_POLICY.maxAttempts });
    expect(await tenants()).toEqual([]);
  });

  it('refuses an answer that is not a tenant state', async () => {
    const wrongShape = new SaasProviderClient({
      baseUrl: `${base}/_control/saas-provider`,
      endpoints: { status: '/tenants?reference={external_reference}' },
    });
    const error = await wrongShape.status('mkt_1', POS_SECRET).catch((e) => e);
    expect(error).toMatchObject({ name: 'PermanentError', code: 'invalid_response' });
  });

  it('reports every call without the secret or the signature', async () => {
    const result = await captureProviderCalls(async () => {
      const { externalReference } = await client.onboard(order(), POS_SECRET);
      await client.status(externalReference, POS_SECRET);
      await client.onboard(order(), DEFAULT_SECRET).catch(() => undefined);
    });
    expect(result.calls).toHaveLength(3);
    expect(result.calls[0]).toMatchObject({
      provider: 'point-of-sale',
      method: 'POST',
      url: `${base}/saas/point-of-sale/api/marketplace/onboard`,
      httpStatus: 201,
      request: { order_id: 'order-2001', order_item_id: 'item-1', options: { business_name: 'Corner Café' } },
    });
    expect(result.calls[2]).toMatchObject({ httpStatus: 401, error: expect.stringContaining('401') });
    const reported = JSON.stringify(result.calls);
    expect(reported).not.toContain(POS_SECRET);
    expect(reported).not.toContain('v1=');
  });
});

describe('SaaS provider configuration', () => {
  it('reads a multitenant_saas fulfillment_config (seed 003 §5.4) into the client’s config', () => {
    const config = saasMultitenantConfigSchema.parse({
      base_url: 'https://pos.example.com',
      status_endpoint: '/marketplace/tenants/{external_reference}',
      auth_mode: 'hmac',
      credentials_ref: 'products/point-of-sale/hmac',
      timeout_seconds: 10,
    });
    expect(config.credentials_ref).toBe('products/point-of-sale/hmac');
    expect(providerClientConfig(config, 'point-of-sale')).toEqual({
      provider: 'point-of-sale',
      baseUrl: 'https://pos.example.com',
      endpoints: {
        onboard: '/api/marketplace/onboard',
        suspend: '/api/marketplace/suspend',
        resume: '/api/marketplace/resume',
        cancel: '/api/marketplace/cancel',
        upgrade: '/api/marketplace/upgrade',
        status: '/marketplace/tenants/{external_reference}',
      },
      timeoutMs: 10_000,
    });
  });

  it('refuses bearer auth, a status endpoint without the reference and a missing key-ring reference', () => {
    const result = saasMultitenantConfigSchema.safeParse({
      base_url: 'https://pos.example.com',
      status_endpoint: '/status',
      auth_mode: 'bearer',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      'status_endpoint: must contain {external_reference}',
      'auth_mode: must be "hmac": the provider contract signs every call',
      'credentials_ref: Invalid input: expected string, received undefined',
    ]);
  });

  it('refuses to build a client from a bad config, naming the field', () => {
    expect(() => new SaasProviderClient({ baseUrl: 'ftp://x' })).toThrow(/baseUrl/);
  });
});
