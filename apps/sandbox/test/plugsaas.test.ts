import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { plugsaasEmulator } from '../src/emulators/plugsaas/plugsaasEmulator';
import { createSandbox } from '../src/sandbox';

const API_KEY = 'test-plugsaas-key-0123456789';

describe('PlugSaaS emulator', () => {
  let app: FastifyInstance;
  let base: string;

  const api = (path: string, init: { method?: string; body?: unknown; key?: string; idempotencyKey?: string } = {}) =>
    fetch(`${base}/plugsaas/api${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        'x-api-key': init.key ?? API_KEY,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.idempotencyKey ? { 'idempotency-key': init.idempotencyKey } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const order = (domain = 'mybusiness.com') => ({
    domain,
    forwarding_url: 'https://example.com',
    names: ['John Doe', 'Jane Smith'],
    microsoft_email: 'ms-account@outlook.com',
    microsoft_password: 'pass123',
  });
  const orders = async () =>
    ((await (await fetch(`${base}/_control/plugsaas/orders`)).json()) as { orders: Record<string, unknown>[] }).orders;

  beforeAll(async () => {
    app = await createSandbox({ emulators: [plugsaasEmulator({ apiKey: API_KEY })], publicUrl: 'http://sandbox.test' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    await fetch(`${base}/_control/reset`, { method: 'POST' });
  });

  it('creates an order and hands out a pair of plugsaas.test nameservers for it', async () => {
    const created = await api('/addOrder', { body: order() });
    expect(created.status).toBe(200);
    const { order_id } = (await created.json()) as { order_id: string };
    expect(order_id).toMatch(/^plug-order-[0-9a-f]{12}$/);
    const ns = await api(`/getNameservers?orderId=${order_id}`);
    expect(await ns.json()).toEqual({ nameservers: ['ns1.plugsaas.test', 'ns2.plugsaas.test'] });

    const second = (await (await api('/addOrder', { body: order('other.com') })).json()) as { order_id: string };
    expect(await (await api(`/getNameservers?orderId=${second.order_id}`)).json()).toEqual({
      nameservers: ['ns3.plugsaas.test', 'ns4.plugsaas.test'],
    });
  });

  it('keeps the order without the Microsoft password in its state', async () => {
    await api('/addOrder', { body: order('bücher.example') });
    const [stored] = await orders();
    expect(stored).toMatchObject({ domain: 'xn--bcher-kva.example', microsoftEmail: 'ms-account@outlook.com' });
    expect(JSON.stringify(stored)).not.toContain('pass123');
  });

  it('refuses a wrong API key with 401 before looking at the request', async () => {
    const res = await api('/addOrder', { body: {}, key: 'wrong-key' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized', message: 'Invalid or missing API key' });
  });

  it('refuses an invalid order with 422 naming each bad field', async () => {
    const res = await api('/addOrder', { body: { ...order('not a domain'), names: [] } });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: 'validation_error',
      message: 'domain: must be a domain name such as mybusiness.com; names: needs at least one name',
    });
    expect(await orders()).toEqual([]);
  });

  it('answers a repeated idempotency key with the first order, and refuses it with a different request', async () => {
    const first = await (await api('/addOrder', { body: order(), idempotencyKey: 'rec-1:create' })).json();
    const again = await (await api('/addOrder', { body: order(), idempotencyKey: 'rec-1:create' })).json();
    expect(again).toEqual(first);
    const changed = await api('/addOrder', { body: order('changed.com'), idempotencyKey: 'rec-1:create' });
    expect(changed.status).toBe(422);
    expect(await changed.json()).toMatchObject({ error: 'idempotency_key_reused' });
    expect(await orders()).toHaveLength(1);
  });

  it('deletes an order, after which its nameservers are not found', async () => {
    const { order_id } = (await (await api('/addOrder', { body: order() })).json()) as { order_id: string };
    const deleted = await api('/deleteOrder', { body: { order_id } });
    expect(await deleted.json()).toEqual({ deleted: true });
    const ns = await api(`/getNameservers?orderId=${order_id}`);
    expect(ns.status).toBe(404);
    expect(await ns.json()).toEqual({ error: 'not_found', message: `No order "${order_id}"` });
    expect((await api('/deleteOrder', { body: { order_id } })).status).toBe(404);
  });

  it('forgets every order on reset', async () => {
    await api('/addOrder', { body: order() });
    await fetch(`${base}/_control/reset`, { method: 'POST' });
    expect(await orders()).toEqual([]);
  });
});
