import type { AddressInfo } from 'node:net';
import { captureProviderCalls, PermanentError, TransientError } from '@handover/core';
import { createSandbox, mailinEmulator, registrarEmulator, ZoneStore } from '@handover/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { privateSmtpEnvSchema } from '../src/drivers/private-smtp/env';
import { MAILBOX_JOB_POLLING, MailinClient, type NewMailbox } from '../src/drivers/private-smtp/mailinClient';

const EMAIL = 'automation@mailin.test';
const PASSWORD = 'mailin-account-Pa55word';
const MAILBOX_PASSWORD = 'Mailbox-Secret-123!';

const mailbox = (username: string): NewMailbox => ({
  username,
  name: username.split('@')[0] ?? '',
  password: MAILBOX_PASSWORD,
});

describe('MailinClient against the sandbox emulator', () => {
  let sandbox: Awaited<ReturnType<typeof createSandbox>>;
  let base: string;
  let clientClock = 0;
  let client: MailinClient;

  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? undefined : res.json();
  };
  const endpoints = async () =>
    ((await control('/calls?emulator=mailin')) as Record<string, { endpoints: Record<string, number> }>).mailin
      ?.endpoints ?? {};
  const logins = async () => (await endpoints())['POST /mailin/api/v1/public/auth/login'] ?? 0;
  const newClient = (overrides: { password?: string; baseUrl?: string } = {}) =>
    new MailinClient(
      {
        baseUrl: overrides.baseUrl ?? `${base}/mailin/api/v1/public`,
        email: EMAIL,
        password: overrides.password ?? PASSWORD,
        timeoutMs: 500,
      },
      { now: () => clientClock },
    );
  const activeDomain = async (domain = 'example.com') => {
    const { nameservers } = await client.transferDomain(domain);
    await control(`/registrar/domains/${domain}`, 'PUT', { nameservers });
  };

  beforeAll(async () => {
    const zones = new ZoneStore();
    sandbox = await createSandbox({
      emulators: [mailinEmulator({ email: EMAIL, password: PASSWORD, zones }), registrarEmulator(zones)],
      publicUrl: 'http://sandbox.test',
      hangMs: 2_000,
    });
    await sandbox.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    await control('/reset', 'POST');
    clientClock = Date.parse('2030-01-01T00:00:00Z');
    client = newClient();
  });

  it('logs in once and keeps the token until 60 s before expires_in, then logs in again without a 401', async () => {
    await control('/mailin/settings', 'PUT', { tokenTtlSeconds: 120 });
    await client.domainStatus('example.com');
    await client.domainStatus('example.com');
    expect(await logins()).toBe(1);
    clientClock += 59_000;
    await client.domainStatus('example.com');
    expect(await logins()).toBe(1);
    clientClock += 2_000;
    await client.domainStatus('example.com');
    expect(await logins()).toBe(2);
    expect((await endpoints())['GET /mailin/api/v1/public/domains']).toBe(4);
  });

  it('logs in again once when a token expires mid-run, and the call goes through', async () => {
    await client.domainStatus('example.com');
    await control('/mailin/tokens/expire', 'POST');
    await expect(client.transferDomain('example.com')).resolves.toMatchObject({ alreadyTransferred: false });
    expect(await logins()).toBe(2);
    expect((await endpoints())['POST /mailin/api/v1/public/domains/transfer']).toBe(2);
  });

  it('treats a second 401 after the fresh login as an authentication error', async () => {
    await control('/faults/mailin', 'PUT', { errorRate: 1, statusCode: 401, pathIncludes: '/domains', remaining: 2 });
    const error = await client.domainStatus('example.com').catch((e) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ code: 'mailin_auth', options: { httpStatus: 401 } });
    expect(await logins()).toBe(2);
    expect((await endpoints())['GET /mailin/api/v1/public/domains']).toBe(2);
  });

  it('refuses wrong credentials as a permanent authentication error with Mailin.ai’s message', async () => {
    const error = await newClient({ password: 'not-the-password' })
      .domainStatus('example.com')
      .catch((e) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({
      code: 'mailin_auth',
      options: { httpStatus: 422 },
      message: 'mailin answered 422: The provided credentials are incorrect.',
    });
  });

  it('tells a domain not found, pending and active apart, turning active once DNS shows its nameservers', async () => {
    expect(await client.domainStatus('example.com')).toEqual({ status: 'not_found', domain: 'example.com' });
    const { nameservers } = await client.transferDomain('Example.com');
    expect(nameservers).toEqual(['ns1.mailin.test', 'ns2.mailin.test']);
    expect(await client.domainStatus('example.com')).toEqual({
      status: 'pending',
      domain: 'example.com',
      domainId: expect.any(Number),
      nameservers,
    });
    await control('/registrar/domains/example.com', 'PUT', { nameservers });
    expect(await client.domainStatus('example.com')).toMatchObject({ status: 'active', nameservers });
    expect(await client.domainStatus('ample.com')).toEqual({ status: 'not_found', domain: 'ample.com' });
  });

  it('reports a Mailin.ai that cannot be asked as a network error, not as not found', async () => {
    await client.domainStatus('example.com');
    await control('/faults/mailin', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    const unavailable = await client.domainStatus('example.com');
    expect(unavailable).toMatchObject({ status: 'network_error', domain: 'example.com' });
    expect(unavailable.status === 'network_error' && unavailable.error).toMatchObject({
      code: 'provider_unavailable',
      options: { httpStatus: 503 },
    });
    await control('/faults/mailin', 'PUT', { timeoutRate: 1, pathIncludes: '/domains', remaining: 1 });
    const silent = await client.domainStatus('example.com');
    expect(silent.status === 'network_error' && silent.error.code).toBe('timeout');
    const unreachable = await newClient({ baseUrl: 'http://127.0.0.1:9/mailin/api/v1/public' }).domainStatus('a.com');
    expect(unreachable.status === 'network_error' && unreachable.error.code).toBe('network_error');
  });

  it('answers a retried transfer with the nameservers Mailin.ai handed out the first time', async () => {
    const first = await client.transferDomain('example.com');
    expect(await client.transferDomain('example.com')).toEqual({
      nameservers: first.nameservers,
      alreadyTransferred: true,
    });
  });

  it('creates mailboxes and polls the job every 10 s until it completes', async () => {
    await activeDomain();
    const { jobId } = await client.createMailboxes(
      [mailbox('john@example.com'), mailbox('jane@example.com')],
      'rec-1:mailboxes',
    );
    const slept: number[] = [];
    const job = await client.waitForMailboxJob(jobId, { sleep: async (ms) => void slept.push(ms) });
    expect(job).toEqual({
      status: 'completed',
      message: null,
      mailboxes: [
        { id: expect.any(Number), username: 'john@example.com', domainId: expect.any(Number), name: 'john' },
        { id: expect.any(Number), username: 'jane@example.com', domainId: expect.any(Number), name: 'jane' },
      ],
    });
    expect(MAILBOX_JOB_POLLING).toEqual({ intervalMs: 10_000, maxAttempts: 30 });
    expect(slept).toEqual([10_000]);
  });

  it('sends the idempotency key, so a retried creation answers the first job and creates one set', async () => {
    await activeDomain();
    const request = [mailbox('john@example.com'), mailbox('jane@example.com')];
    const first = await client.createMailboxes(request, 'rec-2:mailboxes');
    const retried = await client.createMailboxes(request, 'rec-2:mailboxes');
    expect(retried).toEqual(first);
    expect(((await control('/mailin/mailboxes')) as { mailboxes: unknown[] }).mailboxes).toHaveLength(2);
    expect(await control('/calls?emulator=mailin')).toMatchObject({
      mailin: { idempotencyKeys: { 'rec-2:mailboxes': 2 } },
    });
  });

  it('classifies an address that exists and a domain that is not ready', async () => {
    await activeDomain();
    await client.createMailboxes([mailbox('john@example.com')], 'rec-3:mailboxes');
    await expect(client.createMailboxes([mailbox('john@example.com')], 'rec-4:mailboxes')).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'mailin_mailbox_exists',
      options: { httpStatus: 422 },
    });
    await client.transferDomain('pending.com');
    for (const username of ['a@pending.com', 'a@unknown.org']) {
      await expect(client.createMailboxes([mailbox(username)], `rec-5:${username}`)).rejects.toMatchObject({
        code: 'mailin_domain_not_ready',
      });
    }
  });

  it('stops polling a failed job with a permanent error, and a job still running after the last check with a transient one', async () => {
    await activeDomain();
    await control('/mailin/settings', 'PUT', { pollsToComplete: null });
    const { jobId } = await client.createMailboxes([mailbox('john@example.com')], 'rec-6:mailboxes');
    const sleeps: number[] = [];
    const pending = await client
      .waitForMailboxJob(jobId, { maxAttempts: 3, sleep: async (ms) => void sleeps.push(ms) })
      .catch((e) => e);
    expect(pending).toBeInstanceOf(TransientError);
    expect(pending).toMatchObject({ code: 'mailin_job_pending' });
    expect(sleeps).toHaveLength(2);
    await control(`/mailin/jobs/${jobId}/fail`, 'POST', { message: 'Provider refused the mailbox.' });
    await expect(client.waitForMailboxJob(jobId, { sleep: async () => {} })).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'mailin_job_failed',
      message: `Mailin.ai mailbox job ${jobId} failed: Provider refused the mailbox.`,
    });
    await expect(client.mailboxJobStatus('no-such-job')).rejects.toMatchObject({ code: 'mailin_job_not_found' });
  });

  it('maps Mailin.ai’s custom statuses: 310 is worth retrying, 312 is not', async () => {
    await control('/mailin/next-error', 'PUT', { statusCode: 310 });
    await expect(client.transferDomain('example.com')).rejects.toMatchObject({
      name: 'TransientError',
      code: 'provider_unavailable',
      options: { httpStatus: 310 },
    });
    await control('/mailin/next-error', 'PUT', { statusCode: 312 });
    await expect(client.transferDomain('example.com')).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'mailin_subscription_required',
    });
  });

  it('treats Mailin.ai’s throttle as a transient rate limit with its Retry-After', async () => {
    await control('/mailin/settings', 'PUT', { throttle: { limit: 1, windowSeconds: 60 } });
    await client.domainStatus('example.com');
    const error = await client.transferDomain('example.com').catch((e) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ code: 'rate_limited', options: { httpStatus: 429, retryAfterMs: 60_000 } });
  });

  it('never lets the account password, the token or a mailbox password into the reported calls', async () => {
    await control('/mailin/domains/example.com/activate', 'POST');
    const { calls, ok } = await captureProviderCalls(async () => {
      await client.createMailboxes([mailbox('john@example.com')], 'rec-7:mailboxes');
      await control('/mailin/tokens/expire', 'POST');
      await client.domainStatus('example.com');
    });
    expect(ok).toBe(true);
    expect(calls.map((call) => [call.method, new URL(call.url).pathname, call.httpStatus])).toEqual([
      ['POST', '/mailin/api/v1/public/auth/login', 200],
      ['POST', '/mailin/api/v1/public/mailboxes', 210],
      ['GET', '/mailin/api/v1/public/domains', 401],
      ['POST', '/mailin/api/v1/public/auth/login', 200],
      ['GET', '/mailin/api/v1/public/domains', 200],
    ]);
    expect(calls[0]).toMatchObject({
      request: { email: EMAIL, password: '[redacted]', device_name: 'project inbox' },
      response: { token: '[redacted]', expires_in: 3600 },
    });
    expect(calls[1]?.request).toEqual({
      mailboxes: [{ username: 'john@example.com', name: 'john', password: '[redacted]' }],
    });
    const logged = JSON.stringify(calls);
    expect(logged).not.toContain(PASSWORD);
    expect(logged).not.toContain(MAILBOX_PASSWORD);
    expect(logged).not.toMatch(/\d+\|[A-Za-z0-9]{40}/);
  });
});

describe('private SMTP configuration', () => {
  it('reads the seed’s MAILIN_AI_* settings, with its defaults, into the clients’ configs', () => {
    expect(
      privateSmtpEnvSchema.parse({
        MAILIN_AI_AUTOMATION_ENABLED: 'true',
        MAILIN_AI_BASE_URL: 'https://api.mailin.ai/api/v1/public',
        MAILIN_AI_EMAIL: 'ops@example.com',
        MAILIN_AI_PASSWORD: 'secret',
        NAMECHEAP_CLIENT_IP: '198.51.100.7',
      }),
    ).toEqual({
      enabled: true,
      mailin: {
        baseUrl: 'https://api.mailin.ai/api/v1/public',
        email: 'ops@example.com',
        password: 'secret',
        deviceName: 'project inbox',
        timeoutMs: 30_000,
      },
      spaceship: { baseUrl: 'https://spaceship.dev/api', timeoutMs: 30_000 },
      namecheap: { baseUrl: 'https://api.namecheap.com/xml.response', clientIp: '198.51.100.7', timeoutMs: 30_000 },
      portalUrl: 'http://localhost:5173',
    });
  });

  it('starts switched off with nothing set, and names every missing setting once switched on', () => {
    expect(privateSmtpEnvSchema.parse({})).toMatchObject({ enabled: false, mailin: null, namecheap: null });
    const result = privateSmtpEnvSchema.safeParse({ MAILIN_AI_AUTOMATION_ENABLED: 'yes', MAILIN_AI_TIMEOUT: '5' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      'MAILIN_AI_BASE_URL: is required when MAILIN_AI_AUTOMATION_ENABLED is true',
      'MAILIN_AI_EMAIL: is required when MAILIN_AI_AUTOMATION_ENABLED is true',
      'MAILIN_AI_PASSWORD: is required when MAILIN_AI_AUTOMATION_ENABLED is true',
      'NAMECHEAP_CLIENT_IP: is required when MAILIN_AI_AUTOMATION_ENABLED is true',
    ]);
    expect(privateSmtpEnvSchema.safeParse({ MAILIN_AI_AUTOMATION_ENABLED: 'maybe' }).error?.issues[0]?.message).toBe(
      'must be true or false',
    );
  });

  it('refuses to build a client from a bad config, naming the field', () => {
    expect(() => new MailinClient({ baseUrl: 'ftp://x', email: 'not-an-email', password: '' })).toThrow(
      /baseUrl[\s\S]*email[\s\S]*password/,
    );
  });
});
