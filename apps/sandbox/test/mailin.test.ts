import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registrarEmulator } from '../src/emulators/dns/registrarEmulator';
import { ZoneStore } from '../src/emulators/dns/zones';
import { mailinEmulator } from '../src/emulators/mailin';
import { createSandbox } from '../src/sandbox';

const EMAIL = 'automation@mailin.test';
const PASSWORD = 'mailin-sandbox-password';
const START = Date.parse('2030-01-01T00:00:00Z');

describe('Mailin.ai emulator', () => {
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
  const login = async () => {
    const res = await call('/mailin/api/v1/public/auth/login', {
      body: { email: EMAIL, password: PASSWORD, device_name: 'project inbox' },
    });
    return res.body?.token as string;
  };
  const api = async (path: string, init: { token: string; body?: unknown; idempotencyKey?: string }) =>
    call(`/mailin/api/v1/public${path}`, {
      body: init.body,
      headers: {
        authorization: `Bearer ${init.token}`,
        ...(init.idempotencyKey ? { 'idempotency-key': init.idempotencyKey } : {}),
      },
    });
  const control = (path: string, method = 'GET', body?: unknown) => call(`/_control${path}`, { method, body });
  const delegate = (domain: string, nameservers: string[]) =>
    control(`/registrar/domains/${domain}`, 'PUT', { nameservers });
  const activeDomain = async (token: string, domain = 'example.com') => {
    await api('/domains/transfer', { token, body: { domain_name: domain } });
    await control(`/mailin/domains/${domain}/activate`, 'POST');
  };
  const mailbox = (username: string) => ({ username, name: username.split('@')[0], password: 'SecurePass123!' });

  beforeAll(async () => {
    const zones = new ZoneStore();
    app = await createSandbox({
      emulators: [
        mailinEmulator({ email: EMAIL, password: PASSWORD, zones, now: () => new Date(clock) }),
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
  });

  it('logs in with email, password and device name, answering a Sanctum-style token and expires_in', async () => {
    const res = await call('/mailin/api/v1/public/auth/login', {
      body: { email: EMAIL, password: PASSWORD, device_name: 'project inbox' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user_id: 1, token: expect.stringMatching(/^1\|[A-Za-z0-9]{40}$/), expires_in: 3600 });
    expect((await control('/mailin/tokens')).body).toMatchObject({
      issued: 1,
      live: [{ deviceName: 'project inbox', expiresAt: '2030-01-01T01:00:00.000Z' }],
    });
  });

  it('refuses wrong credentials and a missing field with 422 and Laravel’s validation body', async () => {
    const wrong = await call('/mailin/api/v1/public/auth/login', {
      body: { email: EMAIL, password: 'not-it', device_name: 'x' },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toEqual({
      message: 'The provided credentials are incorrect.',
      errors: { email: ['The provided credentials are incorrect.'] },
    });
    const missing = await call('/mailin/api/v1/public/auth/login', { body: { email: EMAIL } });
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({
      message: 'The password field is required. (and 1 more error)',
      errors: { password: ['The password field is required.'], device_name: ['The device name field is required.'] },
    });
  });

  it('answers 401 to a request without a token, with an unknown one, and with one past its expires_in', async () => {
    expect((await call('/mailin/api/v1/public/domains')).status).toBe(401);
    expect((await api('/domains', { token: '1|forged' })).body).toEqual({ message: 'Unauthenticated.' });
    const token = await login();
    expect((await api('/domains', { token })).status).toBe(200);
    clock += 3600 * 1000;
    expect((await api('/domains', { token })).status).toBe(401);
  });

  it('expires every token at once from the control API, and a new login works again', async () => {
    const token = await login();
    expect((await control('/mailin/tokens/expire', 'POST')).body).toEqual({ expired: 1 });
    expect((await api('/domains', { token })).status).toBe(401);
    expect((await api('/domains', { token: await login() })).status).toBe(200);
  });

  it('transfers a domain, handing out its nameservers, and refuses the same domain twice', async () => {
    const token = await login();
    const res = await api('/domains/transfer', { token, body: { domain_name: 'Example.COM' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      message: 'Domain transfer process started',
      name_servers: ['ns1.mailin.test', 'ns2.mailin.test'],
    });
    const again = await api('/domains/transfer', { token, body: { domain_name: 'example.com' } });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ errors: { domain_name: ['The domain name has already been taken.'] } });
    const bad = await api('/domains/transfer', { token, body: { domain_name: 'not a domain' } });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ errors: { domain_name: ['must be a domain name such as example.com'] } });
  });

  it('turns a transferred domain active once the sandbox DNS delegates it to exactly its nameservers', async () => {
    const token = await login();
    await api('/domains/transfer', { token, body: { domain_name: 'example.com' } });
    const lookup = async () => (await api('/domains?name=example.com', { token })).body;
    expect(await lookup()).toMatchObject({
      data: [{ name: 'example.com', status: 'pending', name_server_status: 'pending' }],
      total: 1,
    });
    await delegate('example.com', ['ns1.mailin.test', 'dns1.registrar-servers.com']);
    expect(await lookup()).toMatchObject({ data: [{ status: 'pending' }] });
    await delegate('example.com', ['NS2.mailin.test', 'ns1.mailin.test']);
    expect(await lookup()).toMatchObject({
      data: [{ id: expect.any(Number), name: 'example.com', status: 'active', name_server_status: 'active' }],
    });
  });

  it('waits the set propagation time after seeing the delegation before turning a domain active', async () => {
    await control('/mailin/settings', 'PUT', { activationDelayMs: 60_000 });
    const token = await login();
    await api('/domains/transfer', { token, body: { domain_name: 'example.com' } });
    const lookup = async () => (await api('/domains?name=example.com', { token })).body;
    await delegate('example.com', ['ns1.mailin.test', 'ns2.mailin.test']);
    expect(await lookup()).toMatchObject({ data: [{ status: 'pending' }] });
    clock += 59_000;
    expect(await lookup()).toMatchObject({ data: [{ status: 'pending' }] });
    clock += 1_000;
    expect(await lookup()).toMatchObject({ data: [{ status: 'active' }] });
  });

  it('finds nothing for a name it does not hold, and matches names containing the filter', async () => {
    const token = await login();
    await api('/domains/transfer', { token, body: { domain_name: 'example.com' } });
    expect((await api('/domains?name=unknown.org', { token })).body).toMatchObject({ data: [], total: 0 });
    expect((await api('/domains?name=example', { token })).body).toMatchObject({ data: [{ name: 'example.com' }] });
  });

  it('forces a domain active from the control API', async () => {
    const token = await login();
    await control('/mailin/domains/forced.com/activate', 'POST');
    expect((await api('/domains?name=forced.com', { token })).body).toMatchObject({ data: [{ status: 'active' }] });
  });

  it('creates mailboxes as a job that completes after the set number of status reads', async () => {
    const token = await login();
    await activeDomain(token);
    const created = await api('/mailboxes', {
      token,
      body: { mailboxes: [mailbox('john@example.com'), mailbox('jane@example.com')] },
    });
    expect(created.status).toBe(210);
    expect(created.body).toEqual({ success: true, uuid: expect.any(String), message: 'Mailbox creation job started' });
    const uuid = created.body?.uuid as string;
    expect((await api(`/mailboxes/status/${uuid}`, { token })).body).toEqual({
      success: true,
      status: 'pending',
      data: { status: 'pending', data: [] },
    });
    const done = await api(`/mailboxes/status/${uuid}`, { token });
    expect(done.body).toEqual({
      success: true,
      status: 'completed',
      data: {
        status: 'completed',
        data: [
          { id: expect.any(Number), username: 'john@example.com', domain_id: expect.any(Number), name: 'john' },
          { id: expect.any(Number), username: 'jane@example.com', domain_id: expect.any(Number), name: 'jane' },
        ],
      },
    });
    const stored = (await control('/mailin/mailboxes')).body?.mailboxes as Record<string, unknown>[];
    expect(stored.map((m) => [m.username, m.state])).toEqual([
      ['john@example.com', 'active'],
      ['jane@example.com', 'active'],
    ]);
    expect(JSON.stringify(stored)).not.toContain('SecurePass123!');
  });

  it('completes a job after a set time when the control API asks for time instead of polls', async () => {
    const token = await login();
    await activeDomain(token);
    await control('/mailin/settings', 'PUT', { pollsToComplete: null, completeAfterMs: 30_000 });
    const { body } = await api('/mailboxes', { token, body: { mailboxes: [mailbox('john@example.com')] } });
    const status = async () => (await api(`/mailboxes/status/${body?.uuid}`, { token })).body?.status;
    expect(await status()).toBe('pending');
    expect(await status()).toBe('processing');
    clock += 30_000;
    expect(await status()).toBe('completed');
  });

  it('answers a retried creation with the same Idempotency-Key with the first job, creating one set', async () => {
    const token = await login();
    await activeDomain(token);
    const request = { mailboxes: [mailbox('john@example.com')] };
    const first = await api('/mailboxes', { token, body: request, idempotencyKey: 'rec-1:mailboxes' });
    const retried = await api('/mailboxes', { token, body: request, idempotencyKey: 'rec-1:mailboxes' });
    expect(retried.status).toBe(210);
    expect(retried.body).toEqual(first.body);
    const changed = await api('/mailboxes', {
      token,
      body: { mailboxes: [mailbox('jane@example.com')] },
      idempotencyKey: 'rec-1:mailboxes',
    });
    expect(changed.status).toBe(422);
    expect(changed.body).toMatchObject({ message: 'This Idempotency-Key was used with a different request.' });
    expect((await control('/mailin/mailboxes')).body?.mailboxes).toHaveLength(1);
  });

  it('refuses an address that already exists, and mailboxes on a domain not registered or not active', async () => {
    const token = await login();
    await activeDomain(token);
    await api('/mailboxes', { token, body: { mailboxes: [mailbox('john@example.com')] } });
    await api('/domains/transfer', { token, body: { domain_name: 'pending.com' } });
    const res = await api('/mailboxes', {
      token,
      body: { mailboxes: [mailbox('john@example.com'), mailbox('a@unknown.org'), mailbox('b@pending.com')] },
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      message: "The mailbox 'john@example.com' is already registered to your account. (and 2 more errors)",
      errors: {
        'mailboxes.0.username': ["The mailbox 'john@example.com' is already registered to your account."],
        'mailboxes.1.username': ["The domain 'unknown.org' is not registered to your account."],
        'mailboxes.2.username': ["The domain 'pending.com' is not active yet."],
      },
    });
    expect((await control('/mailin/mailboxes')).body?.mailboxes).toHaveLength(1);
  });

  it('fails a job from the control API, freeing its addresses, and answers 404 for an unknown job', async () => {
    const token = await login();
    await activeDomain(token);
    const { body } = await api('/mailboxes', { token, body: { mailboxes: [mailbox('john@example.com')] } });
    await control(`/mailin/jobs/${body?.uuid}/fail`, 'POST', { message: 'Provider refused the mailbox.' });
    expect((await api(`/mailboxes/status/${body?.uuid}`, { token })).body).toEqual({
      success: true,
      status: 'failed',
      data: { status: 'failed', data: [] },
      message: 'Provider refused the mailbox.',
    });
    expect((await api('/mailboxes', { token, body: { mailboxes: [mailbox('john@example.com')] } })).status).toBe(210);
    expect((await api('/mailboxes/status/no-such-job', { token })).status).toBe(404);
  });

  it('throttles the account as Laravel does: 429, Too Many Attempts., Retry-After', async () => {
    const token = await login();
    await control('/mailin/settings', 'PUT', { throttle: { limit: 2, windowSeconds: 60 } });
    expect((await api('/domains', { token })).headers.get('x-ratelimit-remaining')).toBe('1');
    await api('/domains', { token });
    const limited = await api('/domains', { token });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ message: 'Too Many Attempts.' });
    expect(limited.headers.get('retry-after')).toBe('60');
    clock += 60_000;
    expect((await api('/domains', { token })).status).toBe(200);
  });

  it('answers the next call with a documented custom status when the control API asks', async () => {
    const token = await login();
    await control('/mailin/next-error', 'PUT', { statusCode: 312 });
    const refused = await api('/domains/transfer', { token, body: { domain_name: 'example.com' } });
    expect(refused.status).toBe(312);
    expect(refused.body).toEqual({ success: false, message: 'You do not have an active subscription.' });
    expect((await api('/domains/transfer', { token, body: { domain_name: 'example.com' } })).status).toBe(200);
  });

  it('lets the sandbox inject a 503 into its routes', async () => {
    const token = await login();
    await control('/faults/mailin', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    expect((await api('/domains', { token })).status).toBe(503);
    expect((await api('/domains', { token })).status).toBe(200);
  });

  it('forgets tokens, domains and mailboxes on reset', async () => {
    const token = await login();
    await activeDomain(token);
    await control('/reset', 'POST');
    expect((await api('/domains', { token })).status).toBe(401);
    expect((await control('/mailin/domains')).body).toEqual({ domains: [] });
  });
});
