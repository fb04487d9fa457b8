import { type ConfigError, parseEnv } from '@handover/core';
import { describe, expect, it } from 'vitest';
import { DohJsonResolver } from './dohJsonResolver';
import { createNameserverResolver, dnsResolverEnvSchema } from './resolverConfig';
import { UdpDnsResolver } from './udpDnsResolver';

const parse = (env: Record<string, string>) => parseEnv('worker', dnsResolverEnvSchema, env);

describe('dnsResolverEnvSchema', () => {
  it("defaults to Google's DNS-over-HTTPS, as seed 000 checks DNS", () => {
    expect(parse({})).toEqual({ kind: 'doh', url: 'https://dns.google', timeoutMs: 5000 });
  });

  it('reads plain DNS to a given server, IPv4 or bracketed IPv6, with or without a port', () => {
    expect(parse({ DNS_RESOLVER: 'dns', DNS_SERVER: '127.0.0.1:4053', DNS_TIMEOUT_MS: '800' })).toEqual({
      kind: 'dns',
      server: '127.0.0.1:4053',
      timeoutMs: 800,
    });
    expect(parse({ DNS_RESOLVER: 'dns', DNS_SERVER: '[::1]:53' })).toMatchObject({ server: '[::1]:53' });
    expect(parse({ DNS_RESOLVER: 'dns', DNS_SERVER: '8.8.8.8' })).toMatchObject({ server: '8.8.8.8' });
  });

  it('names what is wrong: a missing server for plain DNS, a host name, a bad port, an unknown kind', () => {
    const problems = (env: Record<string, string>) => {
      try {
        parse(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ DNS_RESOLVER: 'dns' })).toEqual(['DNS_SERVER: is required when DNS_RESOLVER=dns']);
    expect(problems({ DNS_RESOLVER: 'dns', DNS_SERVER: 'dns.example:53' })).toEqual([
      'DNS_SERVER: must be an IP address with an optional port, such as 127.0.0.1:4053 or [::1]:53',
    ]);
    expect(problems({ DNS_RESOLVER: 'dns', DNS_SERVER: '127.0.0.1:70000' })).toHaveLength(1);
    expect(problems({ DNS_RESOLVER: 'dig' })[0]).toMatch(/^DNS_RESOLVER: /);
  });
});

describe('createNameserverResolver', () => {
  it('builds the resolver the config names', () => {
    expect(createNameserverResolver({ kind: 'doh', url: 'https://dns.google', timeoutMs: 1000 })).toBeInstanceOf(
      DohJsonResolver,
    );
    expect(createNameserverResolver({ kind: 'dns', server: '127.0.0.1:4053', timeoutMs: 1000 })).toBeInstanceOf(
      UdpDnsResolver,
    );
  });
});
