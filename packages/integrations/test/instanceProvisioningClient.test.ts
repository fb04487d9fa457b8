import type { AddressInfo } from 'node:net';
import { captureProviderCalls, PermanentError, TransientError } from '@handover/core';
import { createSandbox, instanceProvisioningEmulator } from '@handover/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instanceProvisioningEnvSchema } from '../src/drivers/saas-singletenant/env';
import {
  type CreateInstanceRequest,
  InstanceProvisioningClient,
  type ProvisionedInstance,
} from '../src/drivers/saas-singletenant/instanceProvisioningClient';

const API_KEY = 'instance-provisioning-key-0123456789';

const request = (subdomain = 'acme'): CreateInstanceRequest => ({
  template: 'odoo-17',
  plan: 'small',
  region: 'eu-central',
  domain: { strategy: 'subdomain', subdomain },
  label: 'order-3001 item-1',
  adminEmail: 'owner@acme.example',
  metadata: { order_id: 'order-3001', order_item_id: 'item-1' },
});

describe('InstanceProvisioningClient against the sandbox instance-provisioning API', () => {
  let sandbox: Awaited<ReturnType<typeof createSandbox>>;
  let base: string;
  let client: InstanceProvisioningClient;

  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? undefined : res.json();
  };
  const finish = (id: string) => control(`/instance-provisioning/instances/${id}/ready`, 'POST');

  /** Polls as the driver will, until provisioning has finished one way or the other. */
  const waitUntilProvisioned = async (id: string): Promise<ProvisionedInstance> => {
    for (let polls = 0; polls < 50; polls += 1) {
      const instance = await client.getInstance(id);
      if (instance.status !== 'provisioning') return instance;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`instance ${id} still provisioning`);
  };

  beforeAll(async () => {
    sandbox = await createSandbox({
      emulators: [instanceProvisioningEmulator({ apiKey: API_KEY, readyAfterMs: 60_000 })],
      publicUrl: 'http://sandbox.test',
      hangMs: 2_000,
    });
    await sandbox.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
    client = new InstanceProvisioningClient({
      baseUrl: `${base}/instance-provisioning`,
      apiKey: API_KEY,
      timeoutMs: 500,
    });
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    await control('/reset', 'POST');
  });

  it('creates an instance, polls it through the provisioning delay, and gets its URL and first admin', async () => {
    await control('/instance-provisioning/settings', 'PUT', { readyAfterMs: 250 });
    const created = await client.createInstance(request(), 'record-1:create_instance');
    expect(created).toMatchObject({
      status: 'provisioning',
      domain: { strategy: 'subdomain', hostname: 'acme.instances.sandbox.test', cnameTarget: null },
      url: null,
      admin: null,
    });
    const ready = await waitUntilProvisioned(created.id);
    expect(ready).toMatchObject({
      id: created.id,
      status: 'ready',
      url: 'https://acme.instances.sandbox.test',
      admin: { username: 'owner@acme.example', password: expect.stringMatching(/^[A-Za-z0-9]{20}$/) },
      readyAt: expect.any(String),
    });
  });

  it('never lets the first admin’s password into the reported calls', async () => {
    const { id } = await client.createInstance(request(), 'record-2:create_instance');
    await finish(id);
    const result = await captureProviderCalls(() => client.getInstance(id));
    expect(result.ok).toBe(true);
    const password = result.ok ? result.value.admin?.password : undefined;
    expect(password).toBeTruthy();
    expect(result.calls).toHaveLength(1);
    expect(result.calls[0]).toMatchObject({
      provider: 'instance-provisioning',
      method: 'GET',
      httpStatus: 200,
      response: { status: 'ready', admin: { username: 'owner@acme.example', password: '[redacted]' } },
    });
    expect(JSON.stringify(result.calls)).not.toContain(password);
    expect(JSON.stringify(result.calls)).not.toContain(API_KEY);
  });

  it('sends the idempotency key, so a retried create answers the same instance', async () => {
    const first = await client.createInstance(request(), 'record-3:create_instance');
    const retried = await client.createInstance(request(), 'record-3:create_instance');
    expect(retried.id).toBe(first.id);
    expect(((await control('/instance-provisioning/instances')) as { instances: unknown[] }).instances).toHaveLength(1);
  });

  it('suspends and resumes a ready instance, and refuses to suspend one still provisioning', async () => {
    const { id } = await client.createInstance(request(), 'record-4:create_instance');
    const early = await client.suspendInstance(id).catch((e) => e);
    expect(early).toMatchObject({ name: 'PermanentError', code: 'invalid_state', options: { httpStatus: 409 } });
    await finish(id);
    expect((await client.suspendInstance(id)).status).toBe('suspended');
    expect((await client.resumeInstance(id)).status).toBe('ready');
  });

  it('deletes an instance, takes one already gone as deleted, and then cannot find it', async () => {
    const { id } = await client.createInstance(request(), 'record-5:create_instance');
    await client.deleteInstance(id);
    await expect(client.deleteInstance(id)).resolves.toBeUndefined();
    const gone = await client.getInstance(id).catch((e) => e);
    expect(gone).toMatchObject({ name: 'PermanentError', code: 'not_found', options: { httpStatus: 404 } });
  });

  it('reads a failed provisioning with its reason', async () => {
    const { id } = await client.createInstance(request(), 'record-6:create_instance');
    await control(`/instance-provisioning/instances/${id}/fail`, 'POST', { message: 'Disk quota exceeded' });
    expect(await client.getInstance(id)).toMatchObject({
      status: 'failed',
      error: { code: 'provisioning_failed', message: 'Disk quota exceeded' },
    });
  });

  it('takes refusals as permanent with the API’s problem code', async () => {
    const region = await client.createInstance({ ...request(), region: 'mars-1' }, 'record-7:a').catch((e) => e);
    expect(region).toBeInstanceOf(PermanentError);
    expect(region).toMatchObject({
      code: 'unknown_region',
      options: { httpStatus: 422 },
      message:
        'instance-provisioning answered 422: Unknown region "mars-1"; regions: eu-central, eu-west, us-east, us-west, ap-southeast',
    });
    await client.createInstance(request(), 'record-7:b');
    const taken = await client.createInstance(request(), 'record-7:c').catch((e) => e);
    expect(taken).toMatchObject({ name: 'PermanentError', code: 'domain_taken', options: { httpStatus: 409 } });
    const reused = await client.createInstance(request('other'), 'record-7:b').catch((e) => e);
    expect(reused).toMatchObject({ name: 'PermanentError', code: 'idempotency_key_reused' });
  });

  it('takes a wrong API key as a permanent "unauthorized" error', async () => {
    const wrongKey = new InstanceProvisioningClient({ baseUrl: `${base}/instance-provisioning`, apiKey: 'nope' });
    const error = await wrongKey.createInstance(request(), 'record-8:create_instance').catch((e) => e);
    expect(error).toMatchObject({ name: 'PermanentError', code: 'unauthorized', options: { httpStatus: 401 } });
  });

  it('treats an injected 503 as transient and a provider that never answers as a timeout', async () => {
    await control('/faults/instance-provisioning', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    const down = await client.createInstance(request(), 'record-9:create_instance').catch((e) => e);
    expect(down).toBeInstanceOf(TransientError);
    expect(down).toMatchObject({ code: 'provider_unavailable', options: { httpStatus: 503 } });

    const { id } = await client.createInstance(request(), 'record-9:create_instance');
    await control('/faults/instance-provisioning', 'PUT', { timeoutRate: 1, remaining: 1 });
    const slow = await client.getInstance(id).catch((e) => e);
    expect(slow).toMatchObject({ name: 'TransientError', code: 'timeout' });
    expect((await client.getInstance(id)).status).toBe('provisioning');
  });
});

describe('Instance-provisioning configuration', () => {
  it('reads INSTANCE_PROVISIONING_API_URL, _API_KEY and _TIMEOUT_MS', () => {
    expect(
      instanceProvisioningEnvSchema.parse({
        INSTANCE_PROVISIONING_API_URL: 'http://localhost:4010/instance-provisioning',
        INSTANCE_PROVISIONING_API_KEY: 'k',
        INSTANCE_PROVISIONING_TIMEOUT_MS: '5000',
      }),
    ).toEqual({ baseUrl: 'http://localhost:4010/instance-provisioning', apiKey: 'k', timeoutMs: 5000 });
  });

  it('names each missing or bad variable', () => {
    const result = instanceProvisioningEnvSchema.safeParse({ INSTANCE_PROVISIONING_API_URL: 'not a url' });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'INSTANCE_PROVISIONING_API_URL',
      'INSTANCE_PROVISIONING_API_KEY',
    ]);
  });

  it('refuses to build a client from a bad config, naming the field', () => {
    expect(() => new InstanceProvisioningClient({ baseUrl: 'ftp://x', apiKey: '' })).toThrow(/baseUrl[\s\S]*apiKey/);
  });
});
