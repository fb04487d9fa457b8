import { describe, expect, it } from 'vitest';
import { canonicalRequest, isTimestampFresh, signRequest, verifyRequestSignature } from './requestSignature';

const parts = {
  method: 'post',
  path: '/provision/orders/abc?dry=1',
  timestamp: '1700000000',
  nonce: 'n-1',
  body: '{"a":1}',
};

describe('signed operator requests', () => {
  it('signs method, path, timestamp, nonce and the body hash, one per line', () => {
    expect(canonicalRequest(parts)).toBe(
      // sha256('{"a":1}')
      'POST\n/provision/orders/abc?dry=1\n1700000000\nn-1\n015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862',
    );
    expect(signRequest('s3cret', parts)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('accepts a signature from either configured secret, so secrets can rotate', () => {
    const signature = signRequest('old-secret', parts);
    expect(verifyRequestSignature(['new-secret', 'old-secret'], parts, signature)).toBe(true);
    expect(verifyRequestSignature(['new-secret'], parts, signature)).toBe(false);
  });

  it('refuses a signature when any signed part changes', () => {
    const signature = signRequest('s3cret', parts);
    for (const changed of [
      { ...parts, method: 'GET' },
      { ...parts, path: '/provision/orders/other' },
      { ...parts, timestamp: '1700000001' },
      { ...parts, nonce: 'n-2' },
      { ...parts, body: '{"a":2}' },
    ]) {
      expect(verifyRequestSignature(['s3cret'], changed, signature)).toBe(false);
    }
    expect(verifyRequestSignature(['s3cret'], parts, 'sha256=00')).toBe(false);
  });

  it('takes timestamps within five minutes either way, and only digits', () => {
    const now = new Date(1_700_000_000_000);
    expect(isTimestampFresh('1700000000', now)).toBe(true);
    expect(isTimestampFresh(String(1_700_000_000 - 300), now)).toBe(true);
    expect(isTimestampFresh(String(1_700_000_000 - 301), now)).toBe(false);
    expect(isTimestampFresh(String(1_700_000_000 + 301), now)).toBe(false);
    expect(isTimestampFresh('1700000000.5', now)).toBe(false);
    expect(isTimestampFresh('', now)).toBe(false);
  });
});
