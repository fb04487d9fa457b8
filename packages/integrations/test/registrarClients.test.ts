import type { AddressInfo } from 'node:net';
import { captureProviderCalls, PermanentError, TransientError } from '@handover/core';
import { createSandbox, namecheapEmulator, registrarEmulator, spaceshipEmulator, ZoneStore } from '@handover/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NamecheapClient, type NamecheapCredentials } from '../src/drivers/private-smtp/namecheapClient';
import { SpaceshipClient, type SpaceshipCredentials } from '../src/drivers/private-smtp/spaceshipClient';

const MAILIN_NS = ['ns1.mailin.test', 'ns2.mailin.test'];
const SPACESHIP: SpaceshipCredentials = { apiKey: 'JdIS8QYFMZpVKupJtdc3', apiSecret: 'F3brvQluT4s8aDB7PeFBH6qKHfH2x' };
const NAMECHEAP: NamecheapCredentials = { apiUser: 'customer1', apiKey: '56b4c87ef4fd49cb96d915c0db68194' };
const HANDOVER_IP = '198.51.100.7';

describe('registrar clients against the sandbox emulators', () => {
  let sandbox: Awaited<ReturnType<typeof createSandbox>>;
  let base: string;

  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? undefined : res.json();
  };
  const delegations = async () =>
    ((await control('/registrar/domains')) as { domains: { domain: string; nameservers: string[] }[] }).domains;

  beforeAll(async () => {
    const zones = new ZoneStore();
    sandbox = await createSandbox({
      emulators: [
        spaceshipEmulator({ sandboxAccount: { apiKey: 'sandbox-key', apiSecret: 'sandbox-secret-0123456789' }, zones }),
        namecheapEmulator({
          sandboxAccount: { apiUser: 'sandboxuser', apiKey: '0123456789abcdef0123', clientIps: ['127.0.0.1'] },
          zones,
        }),
        registrarEmulator(zones),
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
    await control('/spaceship/accounts', 'POST', { ...SPACESHIP, domains: ['example.com'] });
    await control('/spaceship/accounts', 'POST', {
      apiKey: 'other',
      apiSecret: 'other-secret',
      domains: ['other.com'],
    });
    await control('/namecheap/accounts', 'POST', {
      ...NAMECHEAP,
      clientIps: [HANDOVER_IP],
      domains: ['example.com', 'example.co.uk'],
    });
    await control('/namecheap/accounts', 'POST', { apiUser: 'other', apiKey: 'k', domains: ['other.com'] });
  });

  describe('SpaceshipClient', () => {
    let client: SpaceshipClient;
    beforeEach(() => {
      client = new SpaceshipClient({ baseUrl: `${base}/spaceship/api`, timeoutMs: 500 });
    });

    it('sets the customer’s domain to Mailin.ai’s nameservers, which the sandbox DNS then serves', async () => {
      expect(await client.setNameservers('Example.com', ['NS1.mailin.test', 'ns2.mailin.test'], SPACESHIP)).toEqual({
        nameservers: MAILIN_NS,
      });
      expect(await delegations()).toMatchObject([{ domain: 'example.com', nameservers: MAILIN_NS }]);
    });

    it('classifies a wrong key or secret as registrar_auth', async () => {
      for (const credentials of [
        { ...SPACESHIP, apiKey: 'wrong-key' },
        { ...SPACESHIP, apiSecret: 'wrong-secret' },
      ]) {
        const error = await client.setNameservers('example.com', MAILIN_NS, credentials).catch((e) => e);
        expect(error).toBeInstanceOf(PermanentError);
        expect(error).toMatchObject({
          code: 'registrar_auth',
          options: { httpStatus: 401 },
          message: 'spaceship answered 401: The API key or API secret is invalid.',
        });
      }
      await expect(
        client.setNameservers('example.com', MAILIN_NS, { apiKey: ' ', apiSecret: '' }),
      ).rejects.toMatchObject({ code: 'registrar_auth' });
      expect(await delegations()).toEqual([]);
    });

    it('classifies a domain in another account, or in none, as domain_not_in_account', async () => {
      for (const domain of ['other.com', 'nobody.com']) {
        await expect(client.setNameservers(domain, MAILIN_NS, SPACESHIP)).rejects.toMatchObject({
          name: 'PermanentError',
          code: 'domain_not_in_account',
          options: { httpStatus: 404 },
        });
      }
    });

    it('classifies nameservers Spaceship refuses as registrar_rejected, and bad input before any call', async () => {
      await expect(client.setNameservers('example.com', ['ns1.mailin.test'], SPACESHIP)).rejects.toMatchObject({
        code: 'registrar_rejected',
        options: { httpStatus: 422 },
      });
      await expect(client.setNameservers('not a domain', MAILIN_NS, SPACESHIP)).rejects.toMatchObject({
        code: 'invalid_request',
      });
    });

    it('treats the rate limit as transient, with Spaceship’s Retry-After', async () => {
      await control('/spaceship/rate-limit', 'PUT', { limit: 1, windowSeconds: 120 });
      await client.setNameservers('example.com', MAILIN_NS, SPACESHIP);
      const error = await client.setNameservers('example.com', MAILIN_NS, SPACESHIP).catch((e) => e);
      expect(error).toBeInstanceOf(TransientError);
      expect(error).toMatchObject({ code: 'rate_limited', options: { httpStatus: 429, retryAfterMs: 120_000 } });
    });

    it('treats an injected 503 and a Spaceship that never answers as transient', async () => {
      await control('/faults/spaceship', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
      await expect(client.setNameservers('example.com', MAILIN_NS, SPACESHIP)).rejects.toMatchObject({
        name: 'TransientError',
        code: 'provider_unavailable',
      });
      await control('/faults/spaceship', 'PUT', { timeoutRate: 1, remaining: 1 });
      await expect(client.setNameservers('example.com', MAILIN_NS, SPACESHIP)).rejects.toMatchObject({
        name: 'TransientError',
        code: 'timeout',
      });
      await expect(client.setNameservers('example.com', MAILIN_NS, SPACESHIP)).resolves.toEqual({
        nameservers: MAILIN_NS,
      });
    });

    it('never lets the key or secret into the reported calls', async () => {
      const { calls } = await captureProviderCalls(async () => {
        await client.setNameservers('example.com', MAILIN_NS, SPACESHIP);
        await client.setNameservers('example.com', MAILIN_NS, { ...SPACESHIP, apiSecret: 'wrong' }).catch(() => {});
      });
      expect(calls.map((call) => [call.method, call.url, call.httpStatus])).toEqual([
        ['PUT', `${base}/spaceship/api/v1/domains/example.com/nameservers`, 200],
        ['PUT', `${base}/spaceship/api/v1/domains/example.com/nameservers`, 401],
      ]);
      expect(calls[0]?.request).toEqual({ provider: 'custom', hosts: MAILIN_NS });
      expect(JSON.stringify(calls)).not.toContain(SPACESHIP.apiKey);
      expect(JSON.stringify(calls)).not.toContain(SPACESHIP.apiSecret);
    });
  });

  describe('NamecheapClient', () => {
    let client: NamecheapClient;
    beforeEach(() => {
      client = new NamecheapClient({
        baseUrl: `${base}/namecheap/xml.response`,
        clientIp: HANDOVER_IP,
        timeoutMs: 500,
      });
    });

    it('sets custom nameservers with setCustom, which the sandbox DNS then serves', async () => {
      expect(await client.setCustomNameservers('example.com', MAILIN_NS, NAMECHEAP)).toEqual({
        nameservers: MAILIN_NS,
      });
      await client.setCustomNameservers('example.co.uk', ['ns3.mailin.test', 'ns4.mailin.test'], NAMECHEAP);
      expect(await delegations()).toMatchObject([
        { domain: 'example.co.uk', nameservers: ['ns3.mailin.test', 'ns4.mailin.test'] },
        { domain: 'example.com', nameservers: MAILIN_NS },
      ]);
    });

    it('classifies a client IP the customer has not allow-listed as ip_not_allowlisted', async () => {
      const elsewhere = new NamecheapClient({ baseUrl: `${base}/namecheap/xml.response`, clientIp: '203.0.113.9' });
      const error = await elsewhere.setCustomNameservers('example.com', MAILIN_NS, NAMECHEAP).catch((e) => e);
      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toMatchObject({
        code: 'ip_not_allowlisted',
        message: 'namecheap answered ERROR 1011150: Invalid request IP: 203.0.113.9',
      });
      expect(await delegations()).toEqual([]);
    });

    it('classifies a wrong API key as registrar_auth', async () => {
      await expect(
        client.setCustomNameservers('example.com', MAILIN_NS, { ...NAMECHEAP, apiKey: 'wrong' }),
      ).rejects.toMatchObject({
        name: 'PermanentError',
        code: 'registrar_auth',
        message: 'namecheap answered ERROR 1011102: API Key is invalid or API access has not been enabled',
      });
    });

    it('classifies a domain in another account, or in none, as domain_not_in_account', async () => {
      await expect(client.setCustomNameservers('other.com', MAILIN_NS, NAMECHEAP)).rejects.toMatchObject({
        code: 'domain_not_in_account',
        message: 'namecheap answered ERROR 2016166: Domain is not associated with your account',
      });
      await expect(client.setCustomNameservers('nobody.com', MAILIN_NS, NAMECHEAP)).rejects.toMatchObject({
        code: 'domain_not_in_account',
        message: 'namecheap answered ERROR 2019166: Domain not found',
      });
    });

    it('treats the rate limit as transient, with its Retry-After', async () => {
      await control('/namecheap/rate-limit', 'PUT', { limit: 1, windowSeconds: 60 });
      await client.setCustomNameservers('example.com', MAILIN_NS, NAMECHEAP);
      const error = await client.setCustomNameservers('example.com', MAILIN_NS, NAMECHEAP).catch((e) => e);
      expect(error).toBeInstanceOf(TransientError);
      expect(error).toMatchObject({ code: 'rate_limited', options: { httpStatus: 429, retryAfterMs: 60_000 } });
      expect(error.message).toBe('namecheap answered 429: 500000 Too many requests');
    });

    it('treats an injected 503 and a Namecheap that never answers as transient', async () => {
      await control('/faults/namecheap', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
      await expect(client.setCustomNameservers('example.com', MAILIN_NS, NAMECHEAP)).rejects.toMatchObject({
        name: 'TransientError',
        code: 'provider_unavailable',
        options: { httpStatus: 503 },
      });
      await control('/faults/namecheap', 'PUT', { timeoutRate: 1, remaining: 1 });
      await expect(client.setCustomNameservers('example.com', MAILIN_NS, NAMECHEAP)).rejects.toMatchObject({
        name: 'TransientError',
        code: 'timeout',
      });
    });

    it('refuses an answer that is not an ApiResponse document as invalid_response', async () => {
      const garbled = new NamecheapClient(
        { baseUrl: `${base}/namecheap/xml.response`, clientIp: HANDOVER_IP },
        { fetch: async () => new Response('<html>maintenance</html>', { status: 200 }) },
      );
      await expect(garbled.setCustomNameservers('example.com', MAILIN_NS, NAMECHEAP)).rejects.toMatchObject({
        name: 'PermanentError',
        code: 'invalid_response',
        message: 'namecheap answered namecheap.domains.dns.setCustom with no ApiResponse document',
      });
    });

    it('hides the ApiKey in every logged URL and answer', async () => {
      const { calls } = await captureProviderCalls(async () => {
        await client.setCustomNameservers('example.com', MAILIN_NS, NAMECHEAP);
        await client.setCustomNameservers('other.com', MAILIN_NS, NAMECHEAP).catch(() => {});
      });
      expect(calls).toHaveLength(2);
      const url = new URL(calls[0]?.url ?? '');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        ApiUser: 'customer1',
        ApiKey: '[redacted]',
        UserName: 'customer1',
        ClientIp: HANDOVER_IP,
        Command: 'namecheap.domains.dns.setCustom',
        SLD: 'example',
        TLD: 'com',
        Nameservers: 'ns1.mailin.test,ns2.mailin.test',
      });
      expect(calls[0]).toMatchObject({ provider: 'namecheap', method: 'GET', httpStatus: 200, error: null });
      expect(calls[1]).toMatchObject({
        httpStatus: 200,
        error: 'namecheap answered ERROR 2016166: Domain is not associated with your account',
      });
      expect(JSON.stringify(calls)).not.toContain(NAMECHEAP.apiKey);
    });
  });
});
