import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registrarEmulator } from '../src/emulators/dns/registrarEmulator';
import { ZoneStore } from '../src/emulators/dns/zones';
import { spaceshipEmulator } from '../src/emulators/spaceship';
import { createSandbox } from '../src/sandbox';

const SANDBOX_ACCOUNT = { apiKey: 'sandboxKey0123456789', apiSecret: 'sandbox-secret-0123456789abcdef' };
const CUSTOMER = { apiKey: 'JdIS8QYFMZpVKupJtdc3', apiSecret: 'F3brvQluT4s8aDB7PeFBH6qKHfH2xTKTneCjZbq3z2w7rj2vV6n' };
const START = Date.parse('2030-01-01T00:00:00Z');

describe('Spaceship emulator', () => {
  let app: FastifyInstance;
  let base: string;
  let clock = START;

  const call = async (
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
    };
  };
  const setNameservers = (domain: string, body: unknown, credentials = CUSTOMER) =>
    call(`/spaceship/api/v1/domains/${domain}/nameservers`, {
      method: 'PUT',
      body,
      headers: { 'X-API-Key': credentials.apiKey, 'X-API-Secret': credentials.apiSecret },
    });
  const control = (path: string, method = 'GET', body?: unknown) => call(`/_control${path}`, { method, body });
  const custom = (...hosts: string[]) => ({ provider: 'custom', hosts });

  beforeAll(async () => {
    const zones = new ZoneStore();
    app = await createSandbox({
      emulators: [
        spaceshipEmulator({ sandboxAccount: SANDBOX_ACCOUNT, zones, now: () => new Date(clock) }),
        registrarEmulator(zones),
      ],
      publicUrl: 'http://sandbox.test',
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    clock = START;
    await control('/reset', 'POST');
    await control('/spaceship/accounts', 'POST', { ...CUSTOMER, domains: ['example.com'] });
  });

  it('sets custom nameservers on a domain of the account, and the sandbox DNS delegates to them', async () => {
    const res = await setNameservers('example.com', custom('NS1.Mailin.test', 'ns2.mailin.test'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ provider: 'custom', hosts: ['ns1.mailin.test', 'ns2.mailin.test'] });
    expect(res.headers.get('spaceship-operation-id')).toMatch(/^[0-9a-f]{16}$/);
    expect((await control('/registrar/domains')).body).toMatchObject({
      domains: [{ domain: 'example.com', nameservers: ['ns1.mailin.test', 'ns2.mailin.test'] }],
    });
  });

  it('puts a domain back on Spaceship’s basic nameservers', async () => {
    const res = await setNameservers('example.com', { provider: 'basic' });
    expect(res.body).toEqual({ provider: 'basic', hosts: ['launch1.spaceship.net', 'launch2.spaceship.net'] });
  });

  it('answers 401 as a problem document to a wrong key, a wrong secret or none', async () => {
    for (const credentials of [
      { apiKey: 'unknown-key', apiSecret: CUSTOMER.apiSecret },
      { apiKey: CUSTOMER.apiKey, apiSecret: 'wrong-secret' },
    ]) {
      const res = await setNameservers('example.com', custom('ns1.mailin.test', 'ns2.mailin.test'), credentials);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toEqual({ detail: 'The API key or API secret is invalid.' });
    }
    const bare = await call('/spaceship/api/v1/domains/example.com/nameservers', { method: 'PUT', body: custom() });
    expect(bare.status).toBe(401);
    expect((await control('/registrar/domains')).body).toEqual({ domains: [] });
  });

  it('does not find a domain that is not in the key’s account, whoever holds it', async () => {
    await control('/spaceship/accounts', 'POST', {
      apiKey: 'otherKey',
      apiSecret: 'other-secret',
      domains: ['other.com'],
    });
    for (const domain of ['other.com', 'nobody.com']) {
      const res = await setNameservers(domain, custom('ns1.mailin.test', 'ns2.mailin.test'));
      expect(res.status).toBe(404);
      expect(res.headers.get('spaceship-error-code')).toBe('business.notFound');
      expect(res.body).toEqual({ detail: 'Domain not found.' });
    }
  });

  it('lets the sandbox account hold every domain no other account holds, for clicking through in dev', async () => {
    const res = await setNameservers('anything.dev', custom('ns1.mailin.test', 'ns2.mailin.test'), SANDBOX_ACCOUNT);
    expect(res.status).toBe(200);
    expect((await setNameservers('example.com', custom('a.test', 'b.test'), SANDBOX_ACCOUNT)).status).toBe(404);
  });

  it('refuses invalid nameservers with 422 naming each field', async () => {
    const res = await setNameservers('example.com', custom('ns1.mailin.test'));
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      detail: 'One or more fields are invalid.',
      errors: [{ field: 'hosts', details: 'At least 2 nameservers are required' }],
    });
    const unknown = await setNameservers('example.com', { provider: 'elsewhere' });
    expect(unknown.status).toBe(422);
  });

  it('rate-limits nameserver updates per domain with 429 and Retry-After', async () => {
    await control('/spaceship/rate-limit', 'PUT', { limit: 2, windowSeconds: 300 });
    const body = custom('ns1.mailin.test', 'ns2.mailin.test');
    await setNameservers('example.com', body);
    clock += 100_000;
    await setNameservers('example.com', body);
    const limited = await setNameservers('example.com', body);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('200');
    expect(limited.headers.get('spaceship-error-code')).toBe('application.rateLimit');
    clock += 200_000;
    expect((await setNameservers('example.com', body)).status).toBe(200);
  });

  it('lists accounts with their domains and never their secrets', async () => {
    const { body } = await control('/spaceship/accounts');
    expect(body).toEqual({
      accounts: [
        { apiKey: SANDBOX_ACCOUNT.apiKey, domains: [], holdsUnclaimedDomains: true },
        { apiKey: CUSTOMER.apiKey, domains: ['example.com'], holdsUnclaimedDomains: false },
      ],
    });
    expect(JSON.stringify(body)).not.toContain(CUSTOMER.apiSecret);
  });

  it('lets the sandbox inject a 503 into its routes', async () => {
    await control('/faults/spaceship', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    expect((await setNameservers('example.com', custom('a.test', 'b.test'))).status).toBe(503);
    expect((await setNameservers('example.com', custom('a.test', 'b.test'))).status).toBe(200);
  });
});
