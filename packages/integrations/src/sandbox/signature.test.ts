import { describe, expect, it } from 'vitest';
import { checkSandboxSignature, signSandboxPayload } from './signature';

const secret = 'a-shared-secret-for-this-test';
const body = '{"id":"sbe_1"}';
const at = new Date('2026-05-01T12:00:00Z');

describe('sandbox gateway signatures', () => {
  it('accepts its own signature within five minutes either way', () => {
    const header = signSandboxPayload(body, secret, at);
    expect(checkSandboxSignature(header, Buffer.from(body), secret, at, 300)).toBeNull();
    expect(checkSandboxSignature(header, Buffer.from(body), secret, new Date(at.getTime() + 300_000), 300)).toBeNull();
    expect(checkSandboxSignature(header, Buffer.from(body), secret, new Date(at.getTime() - 300_000), 300)).toBeNull();
  });

  it('refuses a changed body, another secret, an old or future timestamp and a malformed header', () => {
    const header = signSandboxPayload(body, secret, at);
    expect(checkSandboxSignature(header, Buffer.from('{"id":"sbe_2"}'), secret, at, 300)).toBe(
      'signature does not match',
    );
    expect(checkSandboxSignature(header, Buffer.from(body), 'another-secret-entirely', at, 300)).toBe(
      'signature does not match',
    );
    expect(checkSandboxSignature(header, Buffer.from(body), secret, new Date(at.getTime() + 301_000), 300)).toMatch(
      /tolerance/,
    );
    expect(checkSandboxSignature(header, Buffer.from(body), secret, new Date(at.getTime() - 301_000), 300)).toMatch(
      /tolerance/,
    );
    expect(checkSandboxSignature('v1=abc', Buffer.from(body), secret, at, 300)).toBe('malformed signature header');
  });
});
