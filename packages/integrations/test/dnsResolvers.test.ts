import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { captureProviderCalls, type NameserverResolver, PermanentError, TransientError } from '@handover/core';
import {
  createSandbox,
  type DnsServer,
  dohEmulator,
  registrarEmulator,
  startDnsServer,
  ZoneStore,
} from '@handover/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNameserverResolver, DohJsonResolver, UdpDnsResolver } from '../src';

/** A loopback UDP port with nothing listening on it. */
async function closedUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

describe('nameserver resolvers against the sandbox DNS', () => {
  const zones = new ZoneStore();
  let sandbox: Awaited<ReturnType<typeof createSandbox>>;
  let dns: DnsServer;
  let base: string;
  let resolvers: { name: string; resolver: NameserverResolver }[];

  const registrar = (domain: string, init: { method: string; nameservers?: string[] }) =>
    fetch(`${base}/_control/registrar/domains/${encodeURIComponent(domain)}`, {
      method: init.method,
      headers: init.nameservers ? { 'content-type': 'application/json' } : {},
      body: init.nameservers ? JSON.stringify({ nameservers: init.nameservers }) : undefined,
    });

  beforeAll(async () => {
    sandbox = await createSandbox({
      emulators: [dohEmulator(zones), registrarEmulator(zones)],
      publicUrl: 'http://sandbox.test',
    });
    await sandbox.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
    dns = await startDnsServer({ zones, port: 0 });
    resolvers = [
      {
        name: 'DNS-over-HTTPS',
        resolver: createNameserverResolver({ kind: 'doh', url: `${base}/dns`, timeoutMs: 1000 }),
      },
      {
        name: 'plain DNS',
        resolver: createNameserverResolver({ kind: 'dns', server: `127.0.0.1:${dns.port}`, timeoutMs: 1000 }),
      },
    ];
  });
  afterAll(async () => {
    await dns.close();
    await sandbox.close();
  });
  beforeEach(async () => {
    await fetch(`${base}/_control/reset`, { method: 'POST' });
  });

  it('both see the nameservers change when the registrar updates them', async () => {
    await registrar('mybusiness.com', { method: 'PUT', nameservers: ['ns1.old-host.test', 'ns2.old-host.test'] });
    for (const { resolver } of resolvers) {
      expect(await resolver.lookupNameservers('mybusiness.com')).toEqual(['ns1.old-host.test', 'ns2.old-host.test']);
    }
    await registrar('mybusiness.com', { method: 'PUT', nameservers: ['NS1.PlugSaaS.test', 'ns2.plugsaas.test'] });
    for (const { resolver } of resolvers) {
      expect((await resolver.lookupNameservers('MyBusiness.com.')).sort()).toEqual([
        'ns1.plugsaas.test',
        'ns2.plugsaas.test',
      ]);
    }
  });

  it('both answer [] for a domain that does not exist (NXDOMAIN) or is no longer delegated', async () => {
    await registrar('mybusiness.com', { method: 'PUT', nameservers: ['ns1.plugsaas.test'] });
    await registrar('mybusiness.com', { method: 'DELETE' });
    for (const { resolver } of resolvers) {
      expect(await resolver.lookupNameservers('mybusiness.com')).toEqual([]);
      expect(await resolver.lookupNameservers('never-registered.test')).toEqual([]);
    }
  });

  it('both answer [] for a name with no NS records of its own', async () => {
    await registrar('mybusiness.com', { method: 'PUT', nameservers: ['ns1.plugsaas.test'] });
    for (const { resolver } of resolvers) {
      expect(await resolver.lookupNameservers('www.mybusiness.com')).toEqual([]);
    }
  });

  it('both look internationalised domains up in punycode', async () => {
    await registrar('xn--bcher-kva.example', { method: 'PUT', nameservers: ['ns1.plugsaas.test'] });
    for (const { resolver } of resolvers) {
      expect(await resolver.lookupNameservers('Bücher.example')).toEqual(['ns1.plugsaas.test']);
    }
  });

  it('both refuse a name that is not a domain as a PermanentError, without asking', async () => {
    for (const { resolver } of resolvers) {
      await expect(resolver.lookupNameservers('not a domain')).rejects.toBeInstanceOf(PermanentError);
    }
  });

  it('report each lookup as a provider call for the fulfillment log', async () => {
    await registrar('mybusiness.com', { method: 'PUT', nameservers: ['ns1.plugsaas.test'] });
    for (const { resolver } of resolvers) {
      const { calls } = await captureProviderCalls(() => resolver.lookupNameservers('mybusiness.com'));
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ error: null, url: expect.stringContaining('mybusiness.com') });
    }
  });

  it('plain DNS: an unreachable server is a TransientError', async () => {
    const resolver = new UdpDnsResolver({ server: `127.0.0.1:${await closedUdpPort()}`, timeoutMs: 600 });
    const error = await resolver.lookupNameservers('mybusiness.com').catch((e) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ code: 'dns_resolver_failed' });
  });

  it('DNS-over-HTTPS: an unreachable endpoint, a 503 and a timeout are TransientErrors', async () => {
    const unreachable = new DohJsonResolver({ url: 'http://127.0.0.1:9/dns', timeoutMs: 600 });
    await expect(unreachable.lookupNameservers('mybusiness.com')).rejects.toMatchObject({
      name: 'TransientError',
      code: 'network_error',
    });

    const doh = new DohJsonResolver({ url: `${base}/dns`, timeoutMs: 400 });
    await fetch(`${base}/_control/faults/dns`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1, statusCode: 503, remaining: 1 }),
    });
    await expect(doh.lookupNameservers('mybusiness.com')).rejects.toMatchObject({
      name: 'TransientError',
      options: { httpStatus: 503 },
    });
    await fetch(`${base}/_control/faults/dns`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ timeoutRate: 1, remaining: 1 }),
    });
    await expect(doh.lookupNameservers('mybusiness.com')).rejects.toMatchObject({
      name: 'TransientError',
      code: 'timeout',
    });
  });
});
