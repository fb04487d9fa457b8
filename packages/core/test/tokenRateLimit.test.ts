import { ApiToken, ApiTokenRateLimit, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src';

/**
 * The API tokens' shared bucket, against PostgreSQL. Time passes by moving the bucket's
 * `refilled_at` back, as the statement refills by the database's clock.
 */
describe("an API token's shared rate limit", () => {
  const db = useTestDatabase();
  const em = () => db.orm.em.fork();
  let made = 0;

  async function token(): Promise<string> {
    const fork = em();
    const user = fork.create(User, { email: `limit${++made}@example.com`, role: 'customer' });
    const row = fork.create(ApiToken, {
      name: 'script',
      user,
      scopes: ['orders:read'],
      tokenHash: crypto.randomUUID().replace(/-/g, '').padEnd(64, '0'),
      tokenHint: 'hov_pat_test',
      expiresAt: new Date('2099-01-01T00:00:00Z'),
    });
    await fork.flush();
    return row.id;
  }

  /** The bucket as if its last call were `ms` earlier. */
  const elapse = (tokenId: string, ms: number) =>
    em().execute(
      `update api_token_rate_limits set refilled_at = refilled_at - ? * interval '1 millisecond' where token_id = ?`,
      [ms, tokenId],
    );
  const bucket = (tokenId: string) => em().findOneOrFail(ApiTokenRateLimit, { token: tokenId });

  it('lets a burst through, then refuses with the wait, taking nothing from the empty bucket', async () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 3 });
    const id = await token();
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push(await limiter.take(em(), id));
    expect(verdicts).toEqual([
      { allowed: true, remaining: 2 },
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
    ]);
    for (let i = 0; i < 5; i++) {
      const refused = await limiter.take(em(), id);
      expect(refused.allowed).toBe(false);
      // Just under a second: the few milliseconds since the last call are already earned.
      if (!refused.allowed) expect(refused.retryAfterMs).toBeGreaterThan(900);
      if (!refused.allowed) expect(refused.retryAfterMs).toBeLessThanOrEqual(1000);
    }
    expect((await bucket(id)).tokens).toBeGreaterThanOrEqual(0);
    expect((await bucket(id)).tokens).toBeLessThan(0.1);

    await elapse(id, 500);
    const half = await limiter.take(em(), id);
    expect(half.allowed).toBe(false);
    if (!half.allowed) expect(half.retryAfterMs).toBeLessThanOrEqual(500);
    await elapse(id, 500);
    expect(await limiter.take(em(), id)).toEqual({ allowed: true, remaining: 0 });
  });

  it('keeps each token to its own bucket', async () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 1 });
    const [a, b] = [await token(), await token()];
    expect((await limiter.take(em(), a)).allowed).toBe(true);
    expect((await limiter.take(em(), a)).allowed).toBe(false);
    expect((await limiter.take(em(), b)).allowed).toBe(true);
  });

  it('refills no further than the burst after a quiet spell', async () => {
    const limiter = new RateLimiter({ perMinute: 600, burst: 2 });
    const id = await token();
    await limiter.take(em(), id);
    await elapse(id, 3_600_000);
    expect(await limiter.take(em(), id)).toEqual({ allowed: true, remaining: 1 });
    expect(await limiter.take(em(), id)).toEqual({ allowed: true, remaining: 0 });
    expect((await limiter.take(em(), id)).allowed).toBe(false);
  });

  it('gives exactly the burst to calls that come at once, over several connections', async () => {
    const limiter = new RateLimiter({ perMinute: 1, burst: 5 });
    const id = await token();
    const verdicts = await Promise.all(Array.from({ length: 20 }, () => limiter.take(em(), id)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
    expect((await bucket(id)).tokens).toBeGreaterThanOrEqual(0);
  });

  it("drops a token's bucket with the token", async () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 1 });
    const id = await token();
    await limiter.take(em(), id);
    await em().nativeDelete(ApiToken, { id });
    expect(await em().count(ApiTokenRateLimit, { token: id })).toBe(0);
  });
});
