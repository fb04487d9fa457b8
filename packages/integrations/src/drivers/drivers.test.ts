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
  const atIshare = { AT_ISHARE_API_URL: 'http://127.0.0.1:4010/at-ishare', AT_ISHARE_API_KEY: 'k' };
  const plugsaas = { PLUGSAAS_API_URL: 'http://127.0.0.1:4010/plugsaas', PLUGSAAS_API_KEY: 'k' };
  const esim = {
    ESIMACCESS_API_URL: 'http://127.0.0.1:4010/esimaccess',
    ESIMACCESS_ACCESS_CODE: 'code',
    ESIMACCESS_SECRET_KEY: 'secret',
  };
  const marketplace = {
    INSTANCE_PROVISIONING_API_URL: 'http://127.0.0.1:4010/instance-provisioning',
    INSTANCE_PROVISIONING_API_KEY: 'k',
    DOWNLOADS_DIR: '/srv/downloads',
  };
  const whmcs = {
    WHMCS_API_URL: 'http://127.0.0.1:4010/whmcs',
    WHMCS_API_IDENTIFIER: 'id',
    WHMCS_API_SECRET: 'secret',
    WHMCS_CUSTOMER_NUMBER_FIELD_ID: '1',
  };
  const vendors = { ...plugsaas, ...atIshare, ...esim, ...marketplace, ...whmcs };

  it('registers every driver when their vendors are configured (private SMTP has its switch off)', () => {
    const drivers = buildDrivers(vendors, 'worker');
    expect(drivers.map((d) => d.driver)).toEqual([
      'manual',
      'm365-domain',
      'data-bundle',
      'private-smtp',
      'esim',
      'esim-top-up',
      'saas-multitenant',
      'saas-singletenant',
      'license',
      'download',
      'whmcs',
      'hybrid',
    ]);
  });

  it('names the WHMCS variables when they are missing', () => {
    expect(problemsOf(() => buildDrivers({ ...plugsaas, ...atIshare, ...esim, ...marketplace }, 'worker'))).toEqual([
      'WHMCS_API_URL is required',
      'WHMCS_API_IDENTIFIER is required',
      'WHMCS_API_SECRET is required',
      'WHMCS_CUSTOMER_NUMBER_FIELD_ID is required',
    ]);
  });

  it('names the eSIM Access variables when they are missing', () => {
    expect(problemsOf(() => buildDrivers({ ...plugsaas, ...atIshare, ...marketplace, ...whmcs }, 'worker'))).toEqual([
      'ESIMACCESS_API_URL is required',
      'ESIMACCESS_ACCESS_CODE is required',
      'ESIMACCESS_SECRET_KEY is required',
    ]);
  });

  it('names every missing or bad variable of the drivers that call out', () => {
    expect(problemsOf(() => buildDrivers({ ...atIshare, ...esim, ...marketplace, ...whmcs }, 'server'))).toEqual([
      'PLUGSAAS_API_URL is required',
      'PLUGSAAS_API_KEY is required',
    ]);
    expect(
      problemsOf(() =>
        buildDrivers(
          { ...atIshare, ...esim, ...marketplace, ...whmcs, PLUGSAAS_API_URL: 'ftp://x', PLUGSAAS_API_KEY: 'k' },
          'server',
        ),
      ),
    ).toEqual(['PLUGSAAS_API_URL: must be an http(s) URL']);
    expect(
      problemsOf(() =>
        buildDrivers({ ...plugsaas, ...esim, ...marketplace, ...whmcs, AT_ISHARE_API_URL: 'nope' }, 'server'),
      ),
    ).toEqual(['AT_ISHARE_API_URL: must be an http(s) URL', 'AT_ISHARE_API_KEY is required']);
    expect(problemsOf(() => buildDrivers({ ...plugsaas, ...atIshare, ...esim, ...whmcs }, 'server'))).toEqual([
      'INSTANCE_PROVISIONING_API_URL is required',
      'INSTANCE_PROVISIONING_API_KEY is required',
    ]);
    expect(
      problemsOf(() => buildDrivers({ ...vendors, DOWNLOADS_DIR: undefined as unknown as string }, 'server')),
    ).toEqual(['DOWNLOADS_DIR is required']);
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
