import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { saasProviderEmulator } from '../src/emulators/saas-provider';
import { createSandbox } from '../src/sandbox';

const DEFAULT_SECRET = 'default-provider-secret-0123456789';
const POS_SECRET = 'point-of-sale-secret-0123456789';

type Json = Record<string, unknown>;

describe('SaaS provider emulator (the provider contract)', () => {
  let app: FastifyInstance;
  let base: string;
  /** Seconds added to each signed call's timestamp, so that no two calls in one test share one. */
  let tick = 0;

  const signature = (secret: string, timestamp: number, content: string) =>
    `v1=${createHmac('sha256', secret).update(`${timestamp}.${content}`).digest('hex')}`;
  const signedHeaders = (secret: string, content: string, timestamp = Math.floor(Date.now() / 1000) + tick++) => ({
    'x-handover-timestamp': String(timestamp),
    'x-handover-signature': signature(secret, timestamp, content),
  });

  const post = (
    product: string,
    operation: string,
    body: unknown,
    init: { secret?: string; key?: string | null; headers?: Record<string, string> } = {},
  ) => {
    const raw = JSON.stringify(body);
    return fetch(`${base}/saas/${product}/api/marketplace/${operation}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(init.key === null ? {} : { 'idempotency-key': init.key ?? `key-${operation}-${tick}` }),
        ...(init.headers ?? signedHeaders(init.secret ?? secretOf(product), raw)),
      },
      body: raw,
    });
  };
  const status = (product: string, reference: string, secret = secretOf(product)) => {
    const path = `/saas/${product}/api/marketplace/status/${reference}`;
    return fetch(`${base}${path}`, { headers: signedHeaders(secret, path) });
  };
  const secretOf = (product: string) => (product === 'point-of-sale' ? POS_SECRET : DEFAULT_SECRET);
  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Json) };
  };

  const posOrder = (item = 'item-1') => ({
    operation: 'onboard',
    order_id: 'order-1001',
    order_item_id: item,
    product_id: 'prod-pos',
    external_product_ref: 'pos-cloud',
    plan: 'starter',
    customer: { email: 'owner@corner-cafe.example', name: 'Ada Owner' },
    options: { business_name: 'Corner Café', locations: 2, currency: 'EUR' },
    trial_days: 14,
  });
  const onboardPos = async (item = 'item-1') => {
    const res = await post('point-of-sale', 'onboard', posOrder(item), { key: `order-1001:${item}` });
    return { status: res.status, body: (await res.json()) as Json, replayed: res.headers.get('idempotent-replayed') };
  };
  const lifecycle = (operation: string, reference: string, extra: Json = {}) => ({
    operation,
    external_reference: reference,
    order_id: 'order-1001',
    order_item_id: 'item-1',
    ...extra,
  });

  beforeAll(async () => {
    app = await createSandbox({
      emulators: [saasProviderEmulator({ defaultSecret: DEFAULT_SECRET, secrets: { 'point-of-sale': POS_SECRET } })],
      publicUrl: 'http://sandbox.test',
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    tick = 0;
    await control('/reset', 'POST');
  });

  describe('signature', () => {
    it('refuses a body signed with another secret, and a body changed after signing', async () => {
      const forged = await post('point-of-sale', 'onboard', posOrder(), { secret: DEFAULT_SECRET });
      expect(forged.status).toBe(401);
      expect(await forged.json()).toEqual({
        error: 'signature_invalid',
        message: 'X-Handover-Signature does not match the request',
      });

      const headers = signedHeaders(POS_SECRET, JSON.stringify(posOrder()));
      const tampered = await post('point-of-sale', 'onboard', { ...posOrder(), plan: 'enterprise' }, { headers });
      expect(tampered.status).toBe(401);
      expect((await control('/saas-provider/tenants')).body).toEqual({ tenants: [] });
    });

    it('refuses a timestamp more than five minutes away from its clock, either way', async () => {
      const raw = JSON.stringify(posOrder());
      const nowSeconds = Math.floor(Date.now() / 1000);
      for (const timestamp of [nowSeconds - 301, nowSeconds + 301]) {
        const res = await post('point-of-sale', 'onboard', posOrder(), {
          headers: signedHeaders(POS_SECRET, raw, timestamp),
        });
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ error: 'timestamp_out_of_window' });
      }
    });

    it('accepts a (timestamp, signature) pair once and refuses it replayed', async () => {
      const headers = signedHeaders(POS_SECRET, JSON.stringify(posOrder()));
      const first = await post('point-of-sale', 'onboard', posOrder(), { headers, key: 'order-1001:item-1' });
      expect(first.status).toBe(201);
      const replayed = await post('point-of-sale', 'onboard', posOrder(), { headers, key: 'order-1001:item-1' });
      expect(replayed.status).toBe(401);
      expect(await replayed.json()).toEqual({
        error: 'signature_replayed',
        message: 'This timestamp and signature were already used',
      });
    });

    it('refuses a call without the signature headers', async () => {
      const res = await post('point-of-sale', 'onboard', posOrder(), { headers: {} });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'signature_missing' });
    });

    it('binds a status call to its path, so its signature does not read another tenant', async () => {
      const path = '/saas/point-of-sale/api/marketplace/status/mkt_a';
      const res = await fetch(`${base}/saas/point-of-sale/api/marketplace/status/mkt_b`, {
        headers: signedHeaders(POS_SECRET, path),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'signature_invalid' });
    });

    it('verifies products without a secret of their own with the default one, and takes a new secret', async () => {
      const order = { ...posOrder(), options: {}, plan: null };
      expect((await post('crm-suite', 'onboard', order)).status).toBe(201);

      await control('/saas-provider/products/crm-suite', 'PUT', { secret: 'rotated-crm-secret-0123456789' });
      expect((await post('crm-suite', 'onboard', order, { key: 'k2' })).status).toBe(401);
      const rotated = await post('crm-suite', 'onboard', order, { key: 'k3', secret: 'rotated-crm-secret-0123456789' });
      expect(rotated.status).toBe(200);
    });
  });

  describe('onboard', () => {
    it('opens a point-of-sale tenant with its ids, account links and workspace URL', async () => {
      const { status: code, body } = await onboardPos();
      expect(code).toBe(201);
      expect(body).toMatchObject({
        external_reference: expect.stringMatching(/^mkt_[0-9a-f]{20}$/),
        external_tenant_id: expect.stringMatching(/^tnt_[0-9a-f]{16}$/),
        external_customer_id: expect.stringMatching(/^cus_[0-9a-f]{16}$/),
        external_subscription_id: expect.stringMatching(/^sub_[0-9a-f]{16}$/),
        external_user_id: expect.stringMatching(/^usr_[0-9a-f]{16}$/),
        status: 'active',
        plan: 'starter',
        order_id: 'order-1001',
        order_item_id: 'item-1',
      });
      expect(body.external_workspace_url).toBe(
        `http://sandbox.test/saas/point-of-sale/workspace/${String(body.external_tenant_id)}`,
      );
    });

    it('answers the same order item with the same tenant, customer and workspace URL, even after a reset', async () => {
      const first = await onboardPos();
      const again = await onboardPos();
      expect(again).toMatchObject({ status: 200, replayed: 'true' });
      expect(again.body).toEqual(first.body);

      const otherKey = await post('point-of-sale', 'onboard', posOrder(), { key: 'another-key' });
      expect(otherKey.status).toBe(200);
      expect((await otherKey.json()) as Json).toMatchObject({ external_reference: first.body.external_reference });

      await control('/reset', 'POST');
      const afterReset = await onboardPos();
      const ids = (b: Json) => [
        b.external_reference,
        b.external_tenant_id,
        b.external_customer_id,
        b.external_workspace_url,
      ];
      expect(ids(afterReset.body)).toEqual(ids(first.body));

      const second = await onboardPos('item-2');
      expect(second.body.external_tenant_id).not.toBe(first.body.external_tenant_id);
      expect(second.body.external_customer_id).toBe(first.body.external_customer_id);
      expect((await control('/saas-provider/tenants')).body?.tenants).toHaveLength(2);
    });

    it('refuses an Idempotency-Key reused with a different request, and a POST without one', async () => {
      await onboardPos();
      const changed = await post('point-of-sale', 'onboard', posOrder('item-9'), { key: 'order-1001:item-1' });
      expect(changed.status).toBe(422);
      expect(await changed.json()).toMatchObject({ error: 'idempotency_key_reused' });

      const keyless = await post('point-of-sale', 'onboard', posOrder('item-3'), { key: null });
      expect(keyless.status).toBe(400);
      expect(await keyless.json()).toMatchObject({ error: 'idempotency_key_missing' });
    });

    it('refuses a point-of-sale order without a business name or with an unknown plan', async () => {
      const noName = await post('point-of-sale', 'onboard', { ...posOrder(), options: { locations: 0 } });
      expect(noName.status).toBe(422);
      expect(await noName.json()).toEqual({
        error: 'validation_error',
        message:
          'options.business_name: Invalid input: expected string, received undefined; options.locations: must be at least 1',
      });
      const plan = await post('point-of-sale', 'onboard', { ...posOrder(), plan: 'platinum' });
      expect(plan.status).toBe(422);
      expect(await plan.json()).toEqual({
        error: 'unknown_plan',
        message: 'Unknown plan "platinum"; plans: starter, growth, enterprise',
      });
    });

    it('fails the next onboard the way the control API says, then onboards again', async () => {
      await control('/saas-provider/failures', 'POST', {
        statusCode: 409,
        error: 'store_limit_reached',
        message: 'This account cannot open more stores',
      });
      const refused = await onboardPos();
      expect(refused).toMatchObject({
        status: 409,
        body: { error: 'store_limit_reached', message: 'This account cannot open more stores' },
      });
      expect((await onboardPos()).status).toBe(201);
    });

    it('onboards as provisioning when told to, until the control API activates the tenant', async () => {
      await control('/saas-provider/products/point-of-sale', 'PUT', { onboardAs: 'provisioning' });
      const { status: code, body } = await onboardPos();
      expect(code).toBe(202);
      expect(body.status).toBe('provisioning');
      const reference = String(body.external_reference);
      expect((await control(`/saas-provider/tenants/${reference}/activate`, 'POST')).body).toMatchObject({
        status: 'active',
      });
      expect(await (await status('point-of-sale', reference)).json()).toMatchObject({ status: 'active' });
    });

    it('goes through the sandbox fault injection like every emulator', async () => {
      await control('/faults/saas-provider', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
      const down = await post('point-of-sale', 'onboard', posOrder(), { key: 'order-1001:item-1' });
      expect(down.status).toBe(503);
      expect((await onboardPos()).status).toBe(201);
    });
  });

  describe('lifecycle', () => {
    it('suspends a tenant, after which its status says suspended', async () => {
      const reference = String((await onboardPos()).body.external_reference);
      const suspended = await post(
        'point-of-sale',
        'suspend',
        lifecycle('suspend', reference, { reason: 'payment_failed' }),
      );
      expect(suspended.status).toBe(200);
      expect(await suspended.json()).toMatchObject({ external_reference: reference, status: 'suspended' });

      const res = await status('point-of-sale', reference);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ external_reference: reference, status: 'suspended', plan: 'starter' });
    });

    it('resumes a suspended tenant (its subscription paid again), and refuses to resume a cancelled one', async () => {
      const reference = String((await onboardPos()).body.external_reference);
      await post('point-of-sale', 'suspend', lifecycle('suspend', reference));
      const resumed = await post('point-of-sale', 'resume', lifecycle('resume', reference));
      expect(resumed.status).toBe(200);
      expect(await resumed.json()).toMatchObject({ external_reference: reference, status: 'active' });
      expect((await post('point-of-sale', 'resume', lifecycle('resume', reference))).status).toBe(200);
      await post('point-of-sale', 'cancel', lifecycle('cancel', reference));
      const refused = await post('point-of-sale', 'resume', lifecycle('resume', reference));
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ error: 'tenant_cancelled' });
    });

    it('changes the plan, cancels, and then refuses to suspend or upgrade a cancelled tenant', async () => {
      const reference = String((await onboardPos()).body.external_reference);
      const upgraded = await post('point-of-sale', 'upgrade', lifecycle('upgrade', reference, { plan: 'growth' }));
      expect(await upgraded.json()).toMatchObject({ plan: 'growth', status: 'active' });
      const unknown = await post('point-of-sale', 'upgrade', lifecycle('upgrade', reference, { plan: 'platinum' }));
      expect(unknown.status).toBe(422);

      const cancelled = await post('point-of-sale', 'cancel', lifecycle('cancel', reference));
      expect(await cancelled.json()).toMatchObject({ status: 'cancelled' });
      expect((await post('point-of-sale', 'cancel', lifecycle('cancel', reference))).status).toBe(200);
      const suspend = await post('point-of-sale', 'suspend', lifecycle('suspend', reference));
      expect(suspend.status).toBe(409);
      expect(await suspend.json()).toEqual({ error: 'tenant_cancelled', message: `Tenant ${reference} is cancelled` });
    });

    it('refuses a body signed for one operation at another endpoint', async () => {
      const reference = String((await onboardPos()).body.external_reference);
      const res = await post('point-of-sale', 'cancel', lifecycle('suspend', reference));
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({
        error: 'validation_error',
        message: 'operation: must be "cancel" at this endpoint',
      });
      expect(await (await status('point-of-sale', reference)).json()).toMatchObject({ status: 'active' });
    });

    it('refuses an unknown reference with 404 and another order item’s reference with 422', async () => {
      const missing = await status('point-of-sale', 'mkt_missing');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: 'tenant_not_found', message: 'No tenant "mkt_missing"' });

      const reference = String((await onboardPos()).body.external_reference);
      const wrongItem = await post(
        'point-of-sale',
        'suspend',
        lifecycle('suspend', reference, { order_item_id: 'item-2' }),
      );
      expect(wrongItem.status).toBe(422);
      expect(await wrongItem.json()).toMatchObject({ error: 'reference_mismatch' });
    });

    it('shows the tenant’s workspace page, with a notice once suspended', async () => {
      const { body } = await onboardPos();
      const url = new URL(String(body.external_workspace_url));
      const page = await fetch(`${base}${url.pathname}`);
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      expect(html).toContain('Corner Café');
      expect(html).not.toContain('is suspended');
      await post('point-of-sale', 'suspend', lifecycle('suspend', String(body.external_reference)));
      expect(await (await fetch(`${base}${url.pathname}`)).text()).toContain('This workspace is suspended.');
    });
  });
});
