import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import type { SqlQuery } from './sql';

/** `?` placeholders as PostgreSQL's `$1`, `$2`, ... (the reports' SQL holds no `?` in literals). */
export function toNative(query: SqlQuery): { text: string; values: unknown[] } {
  let n = 0;
  return { text: query.sql.replace(/\?/g, () => `$${++n}`), values: query.params };
}

export interface RowCursor extends AsyncIterable<unknown[]> {
  /** Ends the query and the connection, whether or not every row was read. */
  close(): Promise<void>;
}

/**
 * Reads `query`'s rows through a server-side cursor on a connection of its own (outside the
 * pool, so a long download holds no pooled connection), `batchSize` rows at a time, as arrays
 * in column order. Memory stays at one batch whatever the result's size; the consumer's pace
 * sets the reading pace.
 */
export async function openRowCursor(em: EntityManager, query: SqlQuery, batchSize = 2000): Promise<RowCursor> {
  const client = new pg.Client({ connectionString: em.config.get('clientUrl') });
  await client.connect();
  // A broken connection emits here as well as through the stream; the stream's error is the one reported.
  client.on('error', () => {});
  const { text, values } = toNative(query);
  const stream = client.query(new QueryStream(text, values, { batchSize, rowMode: 'array' }));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    stream.destroy();
    await client.end().catch(() => {});
  };
  return {
    close,
    async *[Symbol.asyncIterator]() {
      try {
        for await (const row of stream) yield row as unknown[];
      } finally {
        await close();
      }
    },
  };
}
