/** A keyset page as Handover's lists return it. */
export interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Every item of a keyset list, a page at a time, for `for await`: the next page is asked for
 * only when the loop gets there, so breaking out early costs nothing more.
 */
export async function* everyItem<T>(page: (cursor: string | null) => Promise<KeysetPage<T>>): AsyncGenerator<T> {
  let cursor: string | null = null;
  do {
    const result: KeysetPage<T> = await page(cursor);
    yield* result.items;
    cursor = result.nextCursor;
  } while (cursor);
}
