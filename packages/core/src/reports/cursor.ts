import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { SqlQuery } from './sql';

/** `?` placeholders as PostgreSQL's `$1`, `$2`, ... (the reports' SQL holds no `?` in literals). */
export function toNative(query: SqlQuery): { text: string; values: unknown[] } {
  let n = 0;
  return { text: query.sql.replace(/\?/g, () => `$${++n}`), values: query.params };
}

/** A query's rows in batches, each row an array in column order. */
export interface RowCursor extends AsyncIterable<unknown[][]> {
  /** Ends the query and the connection, whether or not every row was read. */
  close(): void;
}

/**
 * Reads `query`'s rows through a server-side cursor on a connection of its own (outside the
 * pool, so a long download holds no pooled connection), `batchSize` rows at a time. The next
 * batch is fetched only when the consumer asks for it, so memory stays at one batch whatever the
 * result's size. A failure part-way (the connection lost, the query cancelled, `close` called
 * before the end) makes the iteration throw: it never ends as if the rows were all there.
 */
export async function openRowCursor(em: EntityManager, query: SqlQuery, batchSize = 2000): Promise<RowCursor> {
  const client = new pg.Client({ connectionString: em.config.get('clientUrl') });
  await client.connect();
  // A broken connection is reported here as well as to the cursor; the cursor's error is the one used.
  client.on('error', () => {});
  const { text, values } = toNative(query);
  const cursor = client.query(new Cursor(text, values, { rowMode: 'array' }));
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    // Not awaited, and the cursor not closed first: a dead or stuck connection never answers.
    client.end().catch(() => {});
  };
  return {
    close,
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          if (closed) throw new Error('the report was stopped before its last row');
          const rows = (await cursor.read(batchSize)) as unknown[][];
          if (rows.length === 0) return;
          yield rows;
        }
      } finally {
        close();
      }
    },
  };
}
