import { systemClock } from '@handover/core';
import { ApiTokenRateLimit, type Orm, openOrm } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signedIn, startServer } from './harness';

/**
 * An API token's budget of calls is one for every server process: two servers, each with its own
 * connection pool as two processes behind a load balancer would have, on one database.
 */
describe("an API token's rate limit across two servers", () => {
  const db = useTestDatabase();
  // A burst of four, then one call a second.
  const env = { API_TOKEN_BURST: '4', API_TOKEN_RATE_PER_MINUTE: '60' };
  let secondOrm: Orm;
  let servers: { app: FastifyInstance; base: string }[] = [];
  let customerToken: string;
  let otherToken: string;
  let financeToken: string;

  beforeAll(async () => {
    secondOrm = await openOrm({ url: db.url, poolMax: 5 });
    const first = await startServer({ orm: db.orm, databaseUrl: db.url, clock: systemClock, env });
    const second = await startServer({ orm: secondOrm, databaseUrl: db.url, clock: systemClock, env });
    servers = [first, second];
    await createUser(db.orm, 'shop@example.com', 'customer');
    await createUser(db.orm, 'books@example.com', 'finance');
    const shop = (await signedIn(first.base, 'shop@example.com')).api;
    const make = (name: string) => shop.apiTokens.create.mutate({ name, scopes: ['orders:read'], expiresInDays: 1 });
    customerToken = (await make('shop site')).token;
    otherToken = (await make('stock sync')).token;
    const books = (await signedIn(second.base, 'books@example.com')).api;
    financeToken = (
      await books.apiTokens.create.mutate({ name: 'ledger', scopes: ['reports:finance'], expiresInDays: 1 })
    ).token;
  });
  afterAll(async () => {
    for (const server of servers) await server.app.close();
    await secondOrm?.close(true);
  });

  const baseOf = (n: number) => servers[n]?.base ?? 'http://server-not-started';
  /** `auth.me` through server `n` (0 or 1) with `token`. */
  const me = (n: number, token: string) =>
    fetch(`${baseOf(n)}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } });
  const report = (n: number, token: string) =>
    fetch(`${baseOf(n)}/reports/revenue.csv?from=2026-11-01&to=2026-11-30`, {
      headers: { authorization: `Bearer ${token}` },
    });
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('shares one burst: calls spread over both servers are refused, with Retry-After, once it is used', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await me(i % 2, customerToken)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    for (const n of [0, 1]) {
      const refused = await me(n, customerToken);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toMatchObject({
        error: { json: { message: 'This API token made too many calls; try again in 1 second.' } },
      });
    }
    // Refused calls took nothing: the bucket is empty, not in debt.
    const buckets = await db.orm.em.fork().find(ApiTokenRateLimit, {});
    expect(buckets).toHaveLength(1);
    const tokens = buckets[0]?.tokens ?? -1;
    expect(tokens).toBeGreaterThanOrEqual(0);
    expect(tokens).toBeLessThan(1);

    // Another token of the same owner has its own budget, on either server.
    expect((await me(1, otherToken)).status).toBe(200);
    expect((await me(0, otherToken)).status).toBe(200);
  });

  it('refills at the per-minute rate: after Retry-After one call goes through, on the other server', async () => {
    expect((await me(0, customerToken)).status).toBe(429);
    await wait(1000);
    expect((await me(1, customerToken)).status).toBe(200);
    expect((await me(0, customerToken)).status).toBe(429);
    // However long the refused calls kept coming, waiting as told lets the next one in.
    await wait(1000);
    expect((await me(0, customerToken)).status).toBe(200);
  });

  it('counts report downloads by token against the same shared budget', async () => {
    for (let i = 0; i < 4; i++) expect((await me(i % 2, financeToken)).status).toBe(200);
    const refused = await report(1, financeToken);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ error: 'too_many_requests' });
    await wait(1000);
    const ok = await report(0, financeToken);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^occurred_at,/);
  });
});
