import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rateLimiter';

function clockAt(start: number) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('RateLimiter', () => {
  it('lets a burst through, then refuses with the wait until the next call is earned', () => {
    const clock = clockAt(0);
    const limiter = new RateLimiter({ perMinute: 60, burst: 3 }, clock);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].every((v) => v.allowed)).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 1000 });
    clock.advance(500);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 500 });
    clock.advance(500);
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('keeps each key to its own bucket', () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 1 }, clockAt(0));
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('refills no further than the burst after a quiet spell', () => {
    const clock = clockAt(0);
    const limiter = new RateLimiter({ perMinute: 600, burst: 2 }, clock);
    limiter.take('a');
    clock.advance(3_600_000);
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 1 });
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 0 });
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('holds at most maxKeys buckets, dropping idle ones and then the oldest', () => {
    const clock = clockAt(0);
    const limiter = new RateLimiter({ perMinute: 60, burst: 1 }, clock, 2);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    // All three had spent their call; the oldest, a, was dropped and starts again full.
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('c').allowed).toBe(false);
  });
});
