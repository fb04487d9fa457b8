import { request } from 'node:http';
import { LoginAttempt, Session } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, manualClock, PORTAL, startServer, TEST_PASSWORD } from './harness';
import { startReverseProxy } from './support/proxy';

/** The client's own address: loopback, but not the proxy's (127.0.0.1), so never a trusted one. */
const CLIENT = '127.0.0.2';

/** A tRPC mutation sent from CLIENT's address, with whatever headers the client chooses to forge. */
function callFrom(base: string, path: string, json: unknown, headers: Record<string, string> = {}) {
  const url = new URL(`/trpc/${path}`, base);
  const body = JSON.stringify({ json });
  return new Promise<{ status: number; cookie: string | null }>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: CLIENT,
        headers: {
          'content-type': 'application/json',
          origin: PORTAL,
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie']?.[0] ?? null }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const forged = (i: number) => ({
  'x-forwarded-for': `203.0.113.${i % 250}`,
  'x-real-ip': `198.51.100.${i % 250}`,
  forwarded: `for=192.0.2.${i % 250}`,
});

describe.each([
  { mode: 'production, reached directly, no TRUSTED_PROXIES', viaProxy: false, trusted: '' },
  { mode: 'production behind a proxy named in TRUSTED_PROXIES', viaProxy: true, trusted: '127.0.0.1/32' },
])('forwarded headers in $mode', ({ viaProxy, trusted }) => {
  const db = useTestDatabase();
  const clock = manualClock();
  let close: () => Promise<void>;
  let base: string;

  beforeAll(async () => {
    const server = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock,
      env: { NODE_ENV: 'production', PUBLIC_URL: 'https://shop.example', TRUSTED_PROXIES: trusted },
    });
    const proxy = viaProxy ? await startReverseProxy(server.base) : null;
    base = proxy?.url ?? server.base;
    close = async () => {
      await proxy?.close();
      await server.app.close();
    };
  });
  afterAll(() => close?.());

  it('records the real client address on a session, whatever the client says it is', async () => {
    await createUser(db.orm, 'kojo@example.com', 'customer');
    const signedIn = await callFrom(
      base,
      'auth.signIn',
      { email: 'kojo@example.com', password: TEST_PASSWORD },
      forged(7),
    );
    expect(signedIn.status).toBe(200);
    const [session] = await db.orm.em.fork().find(Session, { user: { email: 'kojo@example.com' } });
    expect(session?.ip).toBe(CLIENT);
    expect(await db.orm.em.fork().count(LoginAttempt, { email: 'kojo@example.com', ip: CLIENT })).toBe(1);
  });

  it('locks the address after fifty failed sign-ins although each claimed another one', async () => {
    clock.advance(60 * 60_000);
    const statuses: number[] = [];
    for (let i = 0; i < 51; i++) {
      statuses.push(
        (await callFrom(base, 'auth.signIn', { email: `spray${i}@example.com`, password: 'wrong password' }, forged(i)))
          .status,
      );
    }
    expect(statuses.slice(0, 50).every((status) => status === 401)).toBe(true);
    expect(statuses[50]).toBe(429);
    await createUser(db.orm, 'after-spray@example.com', 'customer');
    const own = await callFrom(
      base,
      'auth.signIn',
      { email: 'after-spray@example.com', password: TEST_PASSWORD },
      forged(99),
    );
    expect(own.status).toBe(429);
  });

  it('counts sign-ups per real address, so rotating forged headers does not lift the limit', async () => {
    clock.advance(60 * 60_000);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      statuses.push((await callFrom(base, 'auth.signUp', { email: `rotating${i}@example.com` }, forged(i))).status);
    }
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});
