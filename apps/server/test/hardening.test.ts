import { useTestDatabase } from '@handover/db/vitest';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createUser, PORTAL, startServer, TEST_PASSWORD } from './harness';

const signUpBody = (email: string) => JSON.stringify({ json: { email } });

describe('HTTP hardening', () => {
  const db = useTestDatabase();
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    ({ app, base } = await startServer({ orm: db.orm, databaseUrl: db.url, clock: { now: () => new Date() } }));
  });
  afterAll(() => app?.close());

  it('sends security headers on every response', async () => {
    const response = await fetch(`${base}/trpc/catalog.list`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    // Nothing from elsewhere: no script, style, font, image or connection to a third party.
    for (const directive of [
      "connect-src 'self'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      "object-src 'none'",
    ]) {
      expect(policy).toContain(directive);
    }
    expect(policy).not.toMatch(/https?:|\*/);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('allows CORS from the portal and back office origins only, with credentials', async () => {
    for (const origin of [PORTAL, ADMIN]) {
      const preflight = await fetch(`${base}/trpc/auth.signIn`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
      expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    }
    const evil = await fetch(`${base}/trpc/auth.signIn`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a mutation from another origin, and one that is not JSON (a cross-site form post)', async () => {
    const fromEvil = await fetch(`${base}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: signUpBody('csrf1@example.com'),
    });
    expect(fromEvil.status).toBe(403);
    expect(await fromEvil.json()).toMatchObject({ error: 'forbidden_origin' });

    const crossSiteNoOrigin = await fetch(`${base}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      body: signUpBody('csrf2@example.com'),
    });
    expect(crossSiteNoOrigin.status).toBe(403);

    const form = await fetch(`${base}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: PORTAL },
      body: signUpBody('csrf3@example.com'),
    });
    expect(form.status).toBe(415);

    const fromPortal = await fetch(`${base}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PORTAL },
      body: signUpBody('csrf4@example.com'),
    });
    expect(fromPortal.status).toBe(200);
  });

  it('refuses API bodies over 256 KiB before reading them', async () => {
    const response = await fetch(`${base}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PORTAL },
      body: JSON.stringify({ json: { email: 'big@example.com', name: 'x'.repeat(300 * 1024) } }),
    });
    expect(response.status).toBe(413);
  });
});

describe('session cookie in production', () => {
  const db = useTestDatabase();

  it('is Secure, httpOnly, SameSite=Lax and __Host- prefixed', async () => {
    await createUser(db.orm, 'prod@example.com', 'customer');
    const { app, base } = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock: { now: () => new Date() },
      env: { NODE_ENV: 'production', PUBLIC_URL: 'https://shop.example' },
    });
    try {
      const response = await fetch(`${base}/trpc/auth.signIn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://shop.example' },
        body: JSON.stringify({ json: { email: 'prod@example.com', password: TEST_PASSWORD } }),
      });
      expect(response.status).toBe(200);
      const [cookie = ''] = response.headers.getSetCookie();
      expect(cookie).toMatch(/^__Host-handover_session=/);
      expect(cookie).toContain('Secure');
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');
      expect(response.headers.get('strict-transport-security')).toContain('max-age=31536000');
    } finally {
      await app.close();
    }
  });
});
