import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  hashLicenseKey,
  type LicensePayload,
  readLicensePayload,
  signLicenseKey,
  verifyLicenseKey,
} from './licenseKeys';

const payload = (): LicensePayload => ({
  v: 1,
  license_id: randomUUID(),
  key_id: 'invoicing/licences',
  product: 'INVOICING-2',
  licensee: 'Corner Café',
  type: 'perpetual',
  issued_at: '2026-04-20T10:00:00.000Z',
  expires_at: null,
  activation_limit: 3,
  features: ['multi_currency'],
});

describe('licence keys', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');

  it('verifies offline with the public key and gives back what was signed', () => {
    const signed = payload();
    const key = signLicenseKey(signed, privateKey);
    expect(key).toMatch(/^HOL1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyLicenseKey(key, publicKey)).toEqual(signed);
    expect(verifyLicenseKey(`  ${key}\n`, publicKey)).toEqual(signed);
  });

  it('refuses a key whose payload was changed, one signed by another key, and garbage', () => {
    const key = signLicenseKey(payload(), privateKey);
    const [prefix, body, signature] = key.split('.');
    const raised = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body ?? '', 'base64url').toString()), activation_limit: 100 }),
    ).toString('base64url');
    expect(verifyLicenseKey(`${prefix}.${raised}.${signature}`, publicKey)).toBeNull();
    const other = generateKeyPairSync('ed25519');
    expect(verifyLicenseKey(signLicenseKey(payload(), other.privateKey), publicKey)).toBeNull();
    expect(verifyLicenseKey('HOL1.not-a-key', publicKey)).toBeNull();
    expect(readLicensePayload('nonsense')).toBeNull();
  });

  it('finds a key by a hash that ignores surrounding spaces', () => {
    const key = signLicenseKey(payload(), privateKey);
    expect(hashLicenseKey(` ${key} `)).toBe(hashLicenseKey(key));
    expect(hashLicenseKey(key)).toMatch(/^[0-9a-f]{64}$/);
  });
});
