import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactCredentialsInText, redactRequestUrl, redactUrl } from './redact';

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

  it('hides a bearer token or an API token quoted in any text, and leaves the word alone elsewhere', () => {
    const token = `hov_pat_${'A1b2'.repeat(10)}xyz`;
    expect(redactCredentialsInText(`sent Authorization: Bearer ${token} to /trpc`)).toBe(
      `sent Authorization: Bearer ${REDACTED} to /trpc`,
    );
    expect(redactCredentialsInText(`bearer eyJhbGciOiJIUzI1NiJ9.e30.sig`)).toBe(`bearer ${REDACTED}`);
    expect(redactCredentialsInText(`token ${token} refused`)).toBe(`token ${REDACTED} refused`);
    expect(redactCredentialsInText('the bearer of this card')).toBe('the bearer of this card');
    expect(redact({ message: `Bearer ${token}`, list: [`x ${token}`] })).toEqual({
      message: `Bearer ${REDACTED}`,
      list: [`x ${REDACTED}`],
    });
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

  it('takes the credential out of every kind of link a request URL can carry', () => {
    const token = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA.mb1x2y.c2lnbmF0dXJlc2lnbmF0dXI';
    expect(redactRequestUrl(`/reset-password?token=${token}`)).toBe(`/reset-password?token=${REDACTED}`);
    expect(redactRequestUrl(`/verify-email?next=%2Forders&token=${token}`)).toBe(
      `/verify-email?next=%2Forders&token=${REDACTED}`,
    );
    expect(redactRequestUrl(`/downloads/${token}`)).toBe(`/downloads/${REDACTED}`);
    expect(redactRequestUrl(`/downloads/${token}/file.zip?expires=1`)).toBe(
      `/downloads/${REDACTED}/file.zip?expires=1`,
    );
    expect(redactRequestUrl('/sso/callback?code=abc123&state=xyz')).toBe(
      `/sso/callback?code=${REDACTED}&state=${REDACTED}`,
    );
    expect(redactRequestUrl('https://billing.test/dologin.php?access_token=s3cr3t&goto=x')).toBe(
      `https://billing.test/dologin.php?access_token=${REDACTED}&goto=x`,
    );
    // Ids and ordinary parameters stay readable.
    expect(redactRequestUrl('/provision/orders/6c1f0a52-1f39-4c1e-9b7e-2f1d0f3e8a11?limit=20')).toBe(
      '/provision/orders/6c1f0a52-1f39-4c1e-9b7e-2f1d0f3e8a11?limit=20',
    );
    expect(redactRequestUrl('/trpc/orders.byCode?batch=1&input=%7B%7D')).toBe(
      '/trpc/orders.byCode?batch=1&input=%7B%7D',
    );
  });
});
