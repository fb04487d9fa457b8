import { ConfigError } from '@handover/core';
import { describe, expect, it } from 'vitest';
import { buildNameserverResolver } from '../dns/resolverConfig';
import { buildDrivers } from '.';

const problemsOf = (build: () => unknown): string[] => {
  try {
    build();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('buildDrivers', () => {
  it('registers the manual and m365-domain drivers when PlugSaaS is configured', () => {
    const drivers = buildDrivers(
      { PLUGSAAS_API_URL: 'http://127.0.0.1:4010/plugsaas', PLUGSAAS_API_KEY: 'k' },
      'worker',
    );
    expect(drivers.map((d) => d.driver)).toEqual(['manual', 'm365-domain']);
  });

  it('names every missing or bad PlugSaaS variable', () => {
    expect(problemsOf(() => buildDrivers({}, 'server'))).toEqual([
      'PLUGSAAS_API_URL is required',
      'PLUGSAAS_API_KEY is required',
    ]);
    expect(problemsOf(() => buildDrivers({ PLUGSAAS_API_URL: 'ftp://x', PLUGSAAS_API_KEY: 'k' }, 'server'))).toEqual([
      'PLUGSAAS_API_URL: must be an http(s) URL',
    ]);
  });
});

describe('buildNameserverResolver', () => {
  it('asks for DNS_SERVER when DNS_RESOLVER=dns', () => {
    expect(problemsOf(() => buildNameserverResolver({ DNS_RESOLVER: 'dns' }, 'worker'))).toEqual([
      'DNS_SERVER: is required when DNS_RESOLVER=dns',
    ]);
  });

  it('refuses a resolver kind it does not know', () => {
    expect(problemsOf(() => buildNameserverResolver({ DNS_RESOLVER: 'carrier-pigeon' }, 'worker'))[0]).toMatch(
      /^DNS_RESOLVER: /,
    );
  });
});
