import { describe, expect, it } from 'vitest';
import { backoffDelay, isConnectionError, isReleaseAfterLostConnection } from './connectivity';

describe('isConnectionError', () => {
  it('knows a lost or refused connection by its code, its words, or a cause or wrapper that says so', () => {
    expect(isConnectionError(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(true);
    expect(
      isConnectionError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    // graphile-worker wraps the socket's error in one of its own with only the text.
    expect(
      isConnectionError(
        new Error(
          'Error occurred whilst returning jobs from local queue to database queue: connect ECONNREFUSED 127.0.0.1:1',
        ),
      ),
    ).toBe(true);
    expect(isConnectionError(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: '57P03' }) }))).toBe(
      true,
    );
    expect(isConnectionError(new AggregateError([new Error('read ECONNRESET')], 'several'))).toBe(true);
  });

  it('leaves a statement failing, or a bug, to be what it is', () => {
    expect(isConnectionError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isConnectionError(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isConnectionError(undefined)).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles from the first wait up to the cap, with up to half of it as jitter', () => {
    const backoff = { initialMs: 100, maxMs: 1_000 };
    expect(backoffDelay(0, backoff, () => 1)).toBe(100);
    expect(backoffDelay(0, backoff, () => 0)).toBe(50);
    expect(backoffDelay(3, backoff, () => 1)).toBe(800);
    expect(backoffDelay(10, backoff, () => 1)).toBe(1_000);
  });
});

describe('isReleaseAfterLostConnection', () => {
  it("knows pg-pool's double release that graphile-worker's listener leaves after its connection died, and nothing else", () => {
    expect(
      isReleaseAfterLostConnection(new Error('Release called on client which has already been released to the pool.')),
    ).toBe(true);
    expect(isReleaseAfterLostConnection(new TypeError('undefined is not a function'))).toBe(false);
    expect(isReleaseAfterLostConnection(null)).toBe(false);
  });
});
