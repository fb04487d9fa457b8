import { describe, expect, it } from 'vitest';
import { verdictOf } from './rateLimiter';

describe('verdictOf', () => {
  const settings = { perMinute: 60, burst: 3 };

  it('tells a call let through how many whole calls are left', () => {
    expect(verdictOf({ tokens: 2, allowed: true }, settings)).toEqual({ allowed: true, remaining: 2 });
    expect(verdictOf({ tokens: 0.75, allowed: true }, settings)).toEqual({ allowed: true, remaining: 0 });
  });

  it('tells a refused call the wait until the next call is earned, at the per-minute rate', () => {
    expect(verdictOf({ tokens: 0, allowed: false }, settings)).toEqual({ allowed: false, retryAfterMs: 1000 });
    expect(verdictOf({ tokens: 0.5, allowed: false }, settings)).toEqual({ allowed: false, retryAfterMs: 500 });
    expect(verdictOf({ tokens: 0, allowed: false }, { perMinute: 1, burst: 1 })).toEqual({
      allowed: false,
      retryAfterMs: 60_000,
    });
  });

  it('rounds the wait up, so a client that waits it finds the call there', () => {
    expect(verdictOf({ tokens: 0.1, allowed: false }, { perMinute: 7, burst: 1 })).toEqual({
      allowed: false,
      retryAfterMs: Math.ceil((0.9 * 60_000) / 7),
    });
  });
});
