import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactUrl } from './redact';

describe('redact', () => {
  it('hides secret-looking fields at any depth and keeps the rest', () => {
    const input = {
      domain: 'mybusiness.com',
      microsoft_password: 'pass123',
      credentials: { api_key: 'k', user: 'u' },
      mailboxes: [{ username: 'john@example.com', password: 'SecurePass123!' }],
      headers: { Authorization: 'Bearer t' },
    };
    expect(redact(input)).toEqual({
      domain: 'mybusiness.com',
      microsoft_password: REDACTED,
      credentials: REDACTED,
      mailboxes: [{ username: 'john@example.com', password: REDACTED }],
      headers: { Authorization: REDACTED },
    });
    expect(input.microsoft_password).toBe('pass123');
  });

  it('leaves class instances as they are, for the logger to serialise', () => {
    const error = new Error('boom');
    const when = new Date(0);
    const out = redact({ err: error, at: when, nested: { token: 't' } });
    expect(out.err).toBe(error);
    expect(out.at).toBe(when);
    expect(out.nested).toEqual({ token: REDACTED });
  });

  it('takes extra field names for a vendor', () => {
    expect(redact({ backupCodes: '1 2 3', pin: '0000', ok: 1 }, ['pin'])).toEqual({
      backupCodes: REDACTED,
      pin: REDACTED,
      ok: 1,
    });
  });

  it('hides secret query parameters in URLs', () => {
    const url = redactUrl('https://api.namecheap.com/xml.response?ApiUser=bob&ApiKey=abc&Command=x');
    expect(url).toContain('ApiUser=bob');
    expect(url).not.toContain('abc');
  });
});
