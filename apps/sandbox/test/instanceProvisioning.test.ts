import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instanceProvisioningEmulator } from '../src/emulators/instance-provisioning';
import { createSandbox } from '../src/sandbox';

const API_KEY = 'instance-provisioning-key-0123456789';

type Json = Record<string, unknown>;

describe('Instance-provisioning emulator', () => {
  let app: FastifyInstance;
  let base: string;

  const api = async (
    path: string,
    init: { method?: string; body?: unknown; key?: string; idempotencyKey?: string } = {},
  ) => {
    const res = await fetch(`${base}/instance-provisioning/v1${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        authorization: `Bearer ${init.key ?? API_KEY}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.idempotencyKey ? { 'idempotency-key': init.idempotencyKey } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as Json };
  };
  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Json) };
  };
  const request = (subdomain = 'acme') => ({
    template: 'odoo-17',
    plan: 'small',
    region: 'eu-central',
    domain: { strategy: 'subdomain', subdomain },
    label: 'order-1001 item-1',
    admin_email: 'owner@acme.example',
    metadata: { order_id: 'order-1001', order_item_id: 'item-1' },
  });
  const create = async (subdomain = 'acme', idempotencyKey?: string) =>
    api('/instances', { body: request(subdomain), ...(idempotencyKey ? { idempotencyKey } : {}) });

  beforeAll(async () => {
    app = await createSandbox({
      emulators: [instanceProvisioningEmulator({ apiKey: API_KEY, readyAfterMs: 60_000 })],
      publicUrl: 'http://sandbox.test',
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    await control('/reset', 'POST');
  });

  it('accepts a create as provisioning, then hands over the URL and first admin once the delay has passed', async () => {
    await control('/instance-provisioning/settings', 'PUT', { readyAfterMs: 300 });
    const created = await create();
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^ins_[a-z0-9]{16}$/),
      status: 'provisioning',
      template: 'odoo-17',
      plan: 'small',
      region: 'eu-central',
      domain: { strategy: 'subdomain', hostname: 'acme.instances.sandbox.test', cname_target: null },
      url: null,
      admin: null,
      ready_at: null,
    });
    const id = String(created.body.id);
    expect((await api(`/instances/${id}`)).body.status).toBe('provisioning');

    await new Promise((resolve) => setTimeout(resolve, 350));
    const ready = await api(`/instances/${id}`);
    expect(ready.body).toMatchObject({
      status: 'ready',
      url: 'https://acme.instances.sandbox.test',
      admin: { username: 'owner@acme.example', password: expect.stringMatching(/^[A-Za-z0-9]{20}$/) },
      ready_at: expect.any(String),
    });
  });

  it('finishes provisioning at once through the control API', async () => {
    const { body } = await create();
    const finished = await control(`/instance-provisioning/instances/${String(body.id)}/ready`, 'POST');
    expect(finished.body).toMatchObject({ status: 'ready', url: 'https://acme.instances.sandbox.test' });
    expect((await control(`/instance-provisioning/instances/${String(body.id)}/ready`, 'POST')).status).toBe(409);
  });

  it('gives a custom domain the CNAME target it must point at', async () => {
    const created = await api('/instances', {
      body: { ...request(), domain: { strategy: 'custom_domain', hostname: 'erp.acme.example' } },
    });
    expect(created.body.domain).toEqual({
      strategy: 'custom_domain',
      hostname: 'erp.acme.example',
      cname_target: `${String(created.body.id).replace('_', '-')}.instances.sandbox.test`,
    });
  });

  it('answers a repeated Idempotency-Key with the first instance, and refuses it with another body', async () => {
    const first = await create('acme', 'order-1001:item-1:instance');
    const again = await create('acme', 'order-1001:item-1:instance');
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const changed = await create('other', 'order-1001:item-1:instance');
    expect(changed.status).toBe(422);
    expect(changed.body).toMatchObject({ code: 'idempotency_key_reused', status: 422 });
    expect((await control('/instance-provisioning/instances')).body?.instances).toHaveLength(1);
  });

  it('refuses a wrong API key with a 401 problem', async () => {
    const res = await api('/instances', { body: request(), key: 'not-the-key' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toEqual({
      type: 'https://docs.instances.sandbox.test/problems/unauthorized',
      title: 'Unauthorized',
      status: 401,
      detail: 'Missing or invalid API key',
      code: 'unauthorized',
    });
  });

  it('refuses an unknown region, a bad subdomain and a host name already taken', async () => {
    const region = await api('/instances', { body: { ...request(), region: 'mars-1' } });
    expect(region).toMatchObject({ status: 422, body: { code: 'unknown_region' } });
    const label = await create('-bad-');
    expect(label).toMatchObject({
      status: 422,
      body: { code: 'validation_error', detail: 'domain.subdomain: must be a DNS label' },
    });
    await create('acme');
    expect(await create('acme')).toMatchObject({ status: 409, body: { code: 'domain_taken' } });
  });

  it('suspends only a ready instance, and resumes it', async () => {
    const id = String((await create()).body.id);
    expect(await api(`/instances/${id}/suspend`, { method: 'POST' })).toMatchObject({
      status: 409,
      body: { code: 'invalid_state' },
    });
    await control(`/instance-provisioning/instances/${id}/ready`, 'POST');
    const suspended = await api(`/instances/${id}/suspend`, { method: 'POST' });
    expect(suspended.body).toMatchObject({ status: 'suspended', url: 'https://acme.instances.sandbox.test' });
    expect((await api(`/instances/${id}/suspend`, { method: 'POST' })).status).toBe(200);
    expect((await api(`/instances/${id}/resume`, { method: 'POST' })).body.status).toBe('ready');
  });

  it('deletes an instance: it is gone, its host name is free, and its create key answers 410', async () => {
    const id = String((await create('acme', 'key-1')).body.id);
    expect((await api(`/instances/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await api(`/instances/${id}`)).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect((await api(`/instances/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect(await create('acme', 'key-1')).toMatchObject({ status: 410, body: { code: 'instance_deleted' } });
    expect((await create('acme')).status).toBe(202);
  });

  it('fails provisioning through the control API, with the reason on the instance', async () => {
    const id = String((await create()).body.id);
    await control(`/instance-provisioning/instances/${id}/fail`, 'POST', { message: 'Disk quota exceeded' });
    expect((await api(`/instances/${id}`)).body).toMatchObject({
      status: 'failed',
      url: null,
      admin: null,
      error: { code: 'provisioning_failed', message: 'Disk quota exceeded' },
    });
  });

  it('goes through the sandbox fault injection like every emulator', async () => {
    await control('/faults/instance-provisioning', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    expect((await create()).status).toBe(503);
    expect((await create()).status).toBe(202);
  });
});
