import { ThrottleCounter } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { describe, expect, it } from 'vitest';
import { enforceThrottle, hitThrottle, peekThrottle, RateLimitedError } from '../src';
import { manualClock } from './accountsFixtures';

const rule = { scope: 'test:ip', limit: 3, windowMs: 60_000 };

describe('fixed-window throttles', () => {
  const db = useTestDatabase();
  const em = () => db.orm.em.fork();

  it('allows the limit per key and window, refuses past it with the time left, and starts over in the next window', async () => {
    const clock = manualClock(new Date('2026-03-01T09:00:00Z'));
    const counts = [];
    for (let i = 0; i < 4; i++) counts.push((await hitThrottle(em(), rule, '192.0.2.1', clock)).allowed);
    expect(counts).toEqual([true, true, true, false]);
    expect((await hitThrottle(em(), rule, '192.0.2.2', clock)).allowed).toBe(true);
    clock.advance(20_000);
    await expect(enforceThrottle(em(), rule, '192.0.2.1', clock)).rejects.toMatchObject({
      constructor: RateLimitedError,
      retryAfterMs: 40_000,
    });
    expect((await peekThrottle(em(), rule, '192.0.2.1', clock)).allowed).toBe(false);
    clock.advance(40_000);
    expect((await peekThrottle(em(), rule, '192.0.2.1', clock)).allowed).toBe(true);
    expect((await hitThrottle(em(), rule, '192.0.2.1', clock)).count).toBe(1);
  });

  it('clears windows that are over as new ones open, so the table does not grow with every address', async () => {
    const clock = manualClock(new Date('2026-03-01T10:00:00Z'));
    for (let i = 0; i < 50; i++) await hitThrottle(em(), rule, `198.51.100.${i}`, clock);
    clock.advance(120_000);
    await hitThrottle(em(), rule, 'a newcomer', clock);
    expect(await em().count(ThrottleCounter, { scope: rule.scope, expiresAt: { $lt: clock.now() } })).toBe(0);
  });
});
