import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registrarEmulator } from '../src/emulators/dns/registrarEmulator';
import { ZoneStore } from '../src/emulators/dns/zones';
import { namecheapEmulator } from '../src/emulators/namecheap';
import { createSandbox } from '../src/sandbox';

const SANDBOX_ACCOUNT = {
  apiUser: 'sandboxuser',
  apiKey: '0123456789abcdef0123456789abcdef',
  clientIps: ['127.0.0.1'],
};
const CUSTOMER = { apiUser: 'apiexample', apiKey: '56b4c87ef4fd49cb96d915c0db68194', clientIps: ['192.168.1.109'] };

describe('Namecheap emulator', () => {
  let app: FastifyInstance;
  let base: string;

  const xmlApi = async (params: Record<string, string>, method: 'GET' | 'POST' = 'GET') => {
    const query = new URLSearchParams(params).toString();
    const res =
      method === 'GET'
        ? await fetch(`${base}/namecheap/xml.response?${query}`)
        : await fetch(`${base}/namecheap/xml.response`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: query,
          });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const global = (account = CUSTOMER) => ({
    ApiUser: account.apiUser,
    ApiKey: account.apiKey,
    UserName: account.apiUser,
    ClientIp: account.clientIps[0] ?? '',
  });
  const setCustom = (sld: string, tld: string, nameservers: string, account = CUSTOMER) =>
    xmlApi({
      ...global(account),
      Command: 'namecheap.domains.dns.setCustom',
      SLD: sld,
      TLD: tld,
      NameServers: nameservers,
    });
  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? null : ((await res.json()) as Record<string, unknown>);
  };
  const errorOf = (xml: string) => /<Error Number="(\d+)">([^<]*)<\/Error>/.exec(xml)?.slice(1, 3);

  beforeAll(async () => {
    const zones = new ZoneStore();
    app = await createSandbox({
      emulators: [namecheapEmulator({ sandboxAccount: SANDBOX_ACCOUNT, zones }), registrarEmulator(zones)],
      publicUrl: 'http://sandbox.test',
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    await control('/reset', 'POST');
    await control('/namecheap/accounts', 'POST', { ...CUSTOMER, domains: ['domain.com', 'example.co.uk'] });
  });

  it('sets custom nameservers as the docs’ example does, and the sandbox DNS delegates to them', async () => {
    const res = await setCustom('domain', 'com', 'dns1.name-servers.com,DNS2.name-servers.com');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/xml');
    expect(res.text).toContain('<ApiResponse Status="OK" xmlns="http://api.namecheap.com/xml.response">');
    expect(res.text).toContain('<Errors />');
    expect(res.text).toContain('<RequestedCommand>namecheap.domains.dns.setcustom</RequestedCommand>');
    expect(res.text).toContain('<CommandResponse Type="namecheap.domains.dns.setCustom">');
    expect(res.text).toContain('<DomainDNSSetCustomResult Domain="domain.com" Updated="true" />');
    expect(await control('/registrar/domains')).toMatchObject({
      domains: [{ domain: 'domain.com', nameservers: ['dns1.name-servers.com', 'dns2.name-servers.com'] }],
    });
  });

  it('splits a multi-label TLD as Namecheap does and takes a form POST too', async () => {
    const res = await xmlApi(
      {
        ...global(),
        Command: 'namecheap.domains.dns.setCustom',
        SLD: 'example',
        TLD: 'co.uk',
        Nameservers: 'a.test,b.test',
      },
      'POST',
    );
    expect(res.text).toContain('<DomainDNSSetCustomResult Domain="example.co.uk" Updated="true" />');
  });

  it('refuses a wrong API key with error 1011102', async () => {
    const res = await setCustom('domain', 'com', 'a.test,b.test', { ...CUSTOMER, apiKey: 'wrong' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<ApiResponse Status="ERROR"');
    expect(errorOf(res.text)).toEqual(['1011102', 'API Key is invalid or API access has not been enabled']);
    expect(await control('/registrar/domains')).toEqual({ domains: [] });
  });

  it('refuses a client IP that is not allow-listed with error 1011150, until the control API allows it', async () => {
    const res = await setCustom('domain', 'com', 'a.test,b.test', { ...CUSTOMER, clientIps: ['203.0.113.7'] });
    expect(errorOf(res.text)).toEqual(['1011150', 'Invalid request IP: 203.0.113.7']);
    await control(`/namecheap/accounts/${CUSTOMER.apiUser}/client-ips`, 'PUT', { clientIps: ['203.0.113.7'] });
    const allowed = await setCustom('domain', 'com', 'a.test,b.test', { ...CUSTOMER, clientIps: ['203.0.113.7'] });
    expect(allowed.text).toContain('Status="OK"');
  });

  it('answers 2019166 for a domain nobody holds and 2016166 for one in another account', async () => {
    expect(errorOf((await setCustom('nobody', 'com', 'a.test,b.test')).text)).toEqual(['2019166', 'Domain not found']);
    await control('/namecheap/accounts', 'POST', { apiUser: 'other', apiKey: 'k', domains: ['taken.com'] });
    expect(errorOf((await setCustom('taken', 'com', 'a.test,b.test')).text)).toEqual([
      '2016166',
      'Domain is not associated with your account',
    ]);
  });

  it('names each missing global parameter with its documented number', async () => {
    const { ApiUser, ApiKey, UserName, ClientIp } = global();
    const command = { Command: 'namecheap.domains.getList' };
    expect(errorOf((await xmlApi({ ApiKey, UserName, ClientIp, ...command })).text)?.[0]).toBe('1010101');
    expect(errorOf((await xmlApi({ ApiUser, UserName, ClientIp, ...command })).text)?.[0]).toBe('1010102');
    expect(errorOf((await xmlApi({ ApiUser, ApiKey, UserName, ClientIp })).text)?.[0]).toBe('1010104');
    expect(errorOf((await xmlApi({ ApiUser, ApiKey, UserName, ...command })).text)?.[0]).toBe('1010105');
    expect(errorOf((await xmlApi({ ApiUser, ApiKey, ClientIp, UserName: 'someoneelse', ...command })).text)).toEqual([
      '1016103',
      'Parameter UserName is unauthorized',
    ]);
  });

  it('refuses nameservers it cannot use with 2011168', async () => {
    expect(errorOf((await setCustom('domain', 'com', ',')).text)).toEqual(['2011168', 'Nameservers are not valid']);
  });

  it('lists the account’s domains with namecheap.domains.getList', async () => {
    await setCustom('domain', 'com', 'a.test,b.test');
    const res = await xmlApi({ ...global(), Command: 'namecheap.domains.getList' });
    expect(res.text).toContain('<CommandResponse Type="namecheap.domains.getList">');
    expect(res.text).toMatch(/<Domain ID="1" Name="domain.com" User="apiexample" [^>]*IsOurDNS="false" \/>/);
    expect(res.text).toMatch(/<Domain ID="2" Name="example.co.uk" [^>]*IsOurDNS="true" \/>/);
    expect(res.text).toContain('<TotalItems>2</TotalItems>');
  });

  it('rate-limits an API user with HTTP 429, Retry-After and an ERROR document', async () => {
    await control('/namecheap/rate-limit', 'PUT', { limit: 1, windowSeconds: 60 });
    await setCustom('domain', 'com', 'a.test,b.test');
    const limited = await setCustom('domain', 'com', 'a.test,b.test');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(errorOf(limited.text)).toEqual(['500000', 'Too many requests']);
  });

  it('lets the sandbox account take any unclaimed domain, and lists accounts without their keys', async () => {
    expect((await setCustom('mine', 'dev', 'a.test,b.test', SANDBOX_ACCOUNT)).text).toContain('Status="OK"');
    const listed = await control('/namecheap/accounts');
    expect(listed).toEqual({
      accounts: [
        { apiUser: 'sandboxuser', clientIps: ['127.0.0.1'], domains: ['mine.dev'], holdsUnclaimedDomains: true },
        {
          apiUser: 'apiexample',
          clientIps: ['192.168.1.109'],
          domains: ['domain.com', 'example.co.uk'],
          holdsUnclaimedDomains: false,
        },
      ],
    });
    expect(JSON.stringify(listed)).not.toContain(CUSTOMER.apiKey);
  });

  it('escapes what it echoes into XML', async () => {
    const res = await xmlApi({ ...global(), Command: 'namecheap.<b>&"x"' });
    expect(res.text).toContain(
      '<Error Number="5050900">Unknown command: namecheap.&lt;b&gt;&amp;&quot;x&quot;</Error>',
    );
  });

  it('lets the sandbox inject a 503 into its routes', async () => {
    await control('/faults/namecheap', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    expect((await setCustom('domain', 'com', 'a.test,b.test')).status).toBe(503);
    expect((await setCustom('domain', 'com', 'a.test,b.test')).status).toBe(200);
  });
});
