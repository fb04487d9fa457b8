import { HashingGate, passwordHashing } from '@handover/core';
import { OutboxMessage } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, createUser, manualClock, PORTAL, startServer, TEST_PASSWORD } from './harness';

/**
 * The cap on concurrent password hashing, seen from outside: a burst of requests that each hash
 * (confirmation links, sign-ins) never has more hashes running at once than PASSWORD_HASH_CONCURRENCY,
 * and every request is still answered. Counts, not clocks: nothing here depends on how fast it runs.
 */
describe('password hashing under a burst', () => {
  const db = useTestDatabase({ poolMax: 20 });
  const clock = manualClock();
  let base: string;
  let close: () => Promise<unknown>;

  beforeAll(async () => {
    const server = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock,
      // Dear enough that a burst of hashes overlaps, so the cap has something to hold back.
      env: { PASSWORD_HASH_CONCURRENCY: '2', PASSWORD_HASH_COST_LOG2: '14', DB_POOL_MAX: '20' },
    });
    base = server.base;
    close = () => server.app.close();
  });
  afterAll(() => close?.());

  it('runs at most PASSWORD_HASH_CONCURRENCY hashes at once, whatever arrives together, and answers every request', async () => {
    const addresses = Array.from({ length: 12 }, (_, i) => `burst${i}@example.com`);
    for (const email of addresses) await browser(base, PORTAL).api.auth.signUp.mutate({ email });
    const tokens = await Promise.all(
      addresses.map(async (email) => {
        const [mail] = await db.orm.em.fork().find(OutboxMessage, { recipient: email, template: 'verify_email' });
        return new URL(/https?:\/\/\S+/.exec(mail?.body ?? '')?.[0] ?? 'x:').searchParams.get('token') ?? '';
      }),
    );
    await createUser(db.orm, 'regular@example.com', 'customer');

    const results = await Promise.allSettled([
      ...tokens.map((token) =>
        browser(base, PORTAL).api.auth.verifyEmail.mutate({ token, password: 'a password of mine' }),
      ),
      ...Array.from({ length: 4 }, () =>
        browser(base, PORTAL).api.auth.signIn.mutate({ email: 'regular@example.com', password: TEST_PASSWORD }),
      ),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    // Hashes did queue (the cap held some back), and never more than two ran.
    expect(passwordHashing.stats.peakWaiting).toBeGreaterThan(0);
    expect(passwordHashing.stats.peakRunning).toBeLessThanOrEqual(2);
    expect(passwordHashing.stats).toMatchObject({ running: 0, waiting: 0 });
    expect(passwordHashing).toBeInstanceOf(HashingGate);
  });
});
