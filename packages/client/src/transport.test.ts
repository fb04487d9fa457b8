import { describe, expect, it } from 'vitest';
import { resilientFetch, retryAfterMs } from './transport.ts';

function scripted(statuses: (number | Error)[], headers: Record<string, string> = {}) {
  const seen: string[] = [];
  const fetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    seen.push(init?.method ?? 'GET');
    const next = statuses.shift() ?? 200;
    if (next instanceof Error) throw next;
    return new Response('{}', { status: next, headers });
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });
});

describe('resilientFetch', () => {
  it('retries a 429 after the wait Retry-After asks for, capped', async () => {
    const waits: number[] = [];
    const { fetch, seen } = scripted([429, 429, 200], { 'retry-after': '3' });
    const http = resilientFetch({ fetch, sleep: async (ms) => void waits.push(ms), maxRetryDelayMs: 2000 });
    expect((await http('http://x/trpc/a', { method: 'POST' })).status).toBe(200);
    expect(seen).toHaveLength(3);
    expect(waits).toEqual([2000, 2000]);
  });

  it('retries a 503 with a growing wait when no Retry-After says, and gives up after `retries`', async () => {
    const waits: number[] = [];
    const { fetch } = scripted([503, 503, 503]);
    const http = resilientFetch({ fetch, retries: 2, sleep: async (ms) => void waits.push(ms) });
    expect((await http('http://x/trpc/a')).status).toBe(503);
    expect(waits).toEqual([500, 1000]);
  });

  it('retries a failed connection for a query, never for a mutation', async () => {
    const sleep = async () => {};
    const query = scripted([new TypeError('fetch failed'), 200]);
    expect((await resilientFetch({ fetch: query.fetch, sleep })('http://x/trpc/a')).status).toBe(200);
    const mutation = scripted([new TypeError('fetch failed'), 200]);
    await expect(
      resilientFetch({ fetch: mutation.fetch, sleep })('http://x/trpc/a', { method: 'POST' }),
    ).rejects.toThrow('fetch failed');
    expect(mutation.seen).toHaveLength(1);
  });
});
