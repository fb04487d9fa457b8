import { describe, expect, it } from 'vitest';
import { KeysetPages, type KeysetResult } from './keysetPages';

/** Twenty-five rows served five a page, cursor = index of the next row. */
function source() {
  const calls: (string | null)[] = [];
  const fetch = async (cursor: string | null): Promise<KeysetResult<number>> => {
    calls.push(cursor);
    const start = cursor ? Number(cursor) : 0;
    const items = Array.from({ length: 25 }, (_, i) => i).slice(start, start + 5);
    return { items, nextCursor: start + 5 < 25 ? String(start + 5) : null, estimatedTotal: 25 };
  };
  return { fetch, calls };
}

describe('KeysetPages', () => {
  it('goes forward and back with one request per page, reusing the cursors it has seen', async () => {
    const pages = new KeysetPages();
    const { fetch, calls } = source();
    expect((await pages.page('q', 1, fetch)).result.items).toEqual([0, 1, 2, 3, 4]);
    expect((await pages.page('q', 2, fetch)).result.items).toEqual([5, 6, 7, 8, 9]);
    const back = await pages.page('q', 1, fetch);
    expect([back.result.items[0], back.hasPreviousPage]).toEqual([0, false]);
    expect(calls).toEqual([null, '5', null]);
  });

  it('reaches a page asked for cold by walking forward, and stops at the last page', async () => {
    const pages = new KeysetPages();
    const { fetch, calls } = source();
    const third = await pages.page('q', 3, fetch);
    expect([third.result.items, third.hasPreviousPage]).toEqual([[10, 11, 12, 13, 14], true]);
    expect(calls).toEqual([null, '5', '10']);
    expect((await pages.page('q', 9, fetch)).result.nextCursor).toBeNull();
  });

  it('keeps the cursors of different queries apart', async () => {
    const pages = new KeysetPages();
    const { fetch, calls } = source();
    await pages.page('a', 2, fetch);
    await pages.page('b', 2, fetch);
    expect(calls).toEqual([null, '5', null, '5']);
  });
});
