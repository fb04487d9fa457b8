import { Writable } from 'node:stream';
import { OutboxMessage } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, manualClock, PORTAL, startServer } from './harness';

/** Every line the server logs, at every level. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => lines.join('') };
}

describe('secrets stay out of the server log', () => {
  const db = useTestDatabase();
  const clock = manualClock();
  const log = capture();
  let base: string;
  let close: () => Promise<unknown>;

  beforeAll(async () => {
    const server = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock,
      env: { LOG_LEVEL: 'trace' },
      logStream: log.stream,
    });
    base = server.base;
    close = () => server.app.close();
  });
  afterAll(() => close?.());

  const tokenIn = async (recipient: string, template: string) => {
    const [mail] = await db.orm.em
      .fork()
      .find(OutboxMessage, { recipient, template }, { orderBy: { createdAt: 'desc' }, limit: 1 });
    const link = /https?:\/\/\S+/.exec(mail?.body ?? '')?.[0] ?? '';
    return { link, token: new URL(link).searchParams.get('token') ?? '' };
  };

  /** What a browser does when the link is opened: loads the page at that URL. */
  const open = (link: string) => fetch(new URL(`${new URL(link).pathname}${new URL(link).search}`, base));

  it('logs no reset, verification, download or SSO token, session or password through a whole sign-up and reset', async () => {
    const b = browser(base, PORTAL);
    await b.api.auth.signUp.mutate({ email: 'logged@example.com' });
    const verification = await tokenIn('logged@example.com', 'verify_email');
    await open(verification.link);
    await b.api.auth.verifyEmail.mutate({ token: verification.token, password: 'first password here', name: 'Logged' });
    const session = b.jar.get('handover_session') ?? '';
    expect(session).not.toBe('');
    await b.api.orders.mine.query();

    await b.api.auth.requestPasswordReset.mutate({ email: 'logged@example.com' });
    const reset = await tokenIn('logged@example.com', 'password_reset');
    await open(reset.link);
    await b.api.auth.resetPassword.mutate({ token: reset.token, password: 'second password here' });
    // The spent links are tried again, and their pages opened again: refusals are logged too.
    await b.api.auth.resetPassword.mutate({ token: reset.token, password: 'third password here' }).catch(() => null);
    await b.api.auth.verifyEmail.mutate({ token: verification.token, password: 'fourth password' }).catch(() => null);
    await open(reset.link);

    const download = 'dGhpcyBpcyBhIGRvd25sb2FkIHRva2VuIG9mIGEgbGljZW5jZQ';
    await fetch(`${base}/downloads/${download}`);
    await fetch(`${base}/sso/callback?code=sso-code-123456789&state=sso-state-987654321`);

    const text = log.text();
    expect(text).toContain('/verify-email?token=[redacted]');
    expect(text).toContain('/reset-password?token=[redacted]');
    expect(text).toContain('/downloads/[redacted]');
    expect(text).toContain('code=[redacted]');
    for (const secret of [
      verification.token,
      reset.token,
      // Each part of a token alone, too.
      ...verification.token.split('.').filter((part) => part.length > 8),
      ...reset.token.split('.').filter((part) => part.length > 8),
      download,
      'sso-code-123456789',
      'sso-state-987654321',
      session,
      'first password here',
      'second password here',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('logs no API token, nor any Authorization: Bearer value, whether the token is taken, refused or made up', async () => {
    const b = browser(base, PORTAL);
    await b.api.auth.signUp.mutate({ email: 'scripted@example.com' });
    const verification = await tokenIn('scripted@example.com', 'verify_email');
    await b.api.auth.verifyEmail.mutate({ token: verification.token, password: 'a password for scripts' });
    const made = await b.api.apiTokens.create.mutate({ name: 'script', scopes: ['orders:read'], expiresInDays: 7 });
    const madeUp = `hov_pat_${'Z'.repeat(43)}`;
    const call = (path: string, token: string, init: RequestInit = {}) =>
      fetch(`${base}/trpc/${path}`, {
        ...init,
        headers: { origin: PORTAL, authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
      }).then((response) => response.arrayBuffer());
    await call('auth.me', made.token);
    await call('orders.list?input=%7B%22json%22%3A%7B%7D%7D', made.token);
    // Refused: a session-only procedure, a scope the token lacks, a token that does not exist, junk.
    await call('apiTokens.create', made.token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { name: 'more', scopes: ['orders:read'], expiresInDays: 1 } }),
    });
    await call('backOffice.orders.list?input=%7B%22json%22%3A%7B%7D%7D', made.token);
    await call('auth.me', madeUp);
    await call('auth.me', 'not-a-token-at-all-0123456789');
    await fetch(`${base}/reports/revenue.csv?from=2026-03-01&to=2026-03-02`, {
      headers: { authorization: `Bearer ${made.token}` },
    }).then((response) => response.arrayBuffer());

    const text = log.text();
    expect(text).toContain('tokenId');
    for (const secret of [made.token, madeUp, 'not-a-token-at-all-0123456789', made.token.slice(8)]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/Bearer\s+(?!\[redacted\])\S/i);
  });
});
