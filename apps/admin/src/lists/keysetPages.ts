/** One page of a keyset list as the API returns it. */
export interface KeysetResult<T> {
  items: T[];
  nextCursor: string | null;
  estimatedTotal: number | null;
}

export type FetchKeysetPage<T> = (cursor: string | null) => Promise<KeysetResult<T>>;

/**
 * react-admin asks for page numbers; the API pages by cursor. This remembers, for each query
 * (resource, filters and sort), the cursor that starts each page already seen, so "next" and
 * "previous" cost one request. A page asked for cold (a reloaded deep link) is reached by
 * walking forward from the first.
 */
export class KeysetPages {
  private readonly cursors = new Map<string, (string | null)[]>();

  async page<T>(
    queryKey: string,
    page: number,
    fetch: FetchKeysetPage<T>,
  ): Promise<{ result: KeysetResult<T>; hasPreviousPage: boolean }> {
    const starts = this.cursors.get(queryKey) ?? [null];
    this.cursors.set(queryKey, starts);
    let index = Math.min(page - 1, starts.length - 1);
    let result = await fetch(starts[index] ?? null);
    while (index < page - 1 && result.nextCursor) {
      index += 1;
      starts[index] = result.nextCursor;
      result = await fetch(result.nextCursor);
    }
    starts[index + 1] = result.nextCursor;
    return { result, hasPreviousPage: index > 0 };
  }
}
