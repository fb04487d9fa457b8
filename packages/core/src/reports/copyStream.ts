import type { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { SqlQuery } from './sql';

/**
 * `query` with each `?` written in as a quoted literal, for COPY, which takes no parameters.
 * `quote` is the connection's own `escapeLiteral`. The reports' SQL holds no `?` in literals.
 */
export function inlineParams(query: SqlQuery, quote: (text: string) => string): string {
  let n = 0;
  return query.sql.replace(/\?/g, () => {
    const value = query.params[n++];
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'number' || typeof value === 'bigint') {
      if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
      return String(value);
    }
    if (typeof value === 'boolean') return String(value);
    if (typeof value === 'string') return quote(value);
    throw new Error(`a report parameter of type ${typeof value} cannot be written into SQL`);
  });
}

export type CopyFormat = 'csv' | 'text';

/** How a download's connection shows in `pg_stat_activity`. */
export const COPY_APPLICATION_NAME = 'handover report download';

/**
 * `query`'s rows as PostgreSQL writes them with `COPY … TO STDOUT` in `format`, streamed from a
 * connection of its own (outside the pool, so a long download holds no pooled connection). The
 * bytes go from the database socket to the reader as they are: no row is parsed or held here,
 * and the next piece is read from the socket only when the reader wants more, so memory stays
 * flat whatever the result's size.
 *
 * The stream fails, and never ends as if complete, when the query fails or the connection is
 * lost part-way. Destroying it ends the query and the connection.
 */
export async function openCopyStream(em: EntityManager, query: SqlQuery, format: CopyFormat): Promise<Readable> {
  const client = new pg.Client({
    connectionString: em.config.get('clientUrl'),
    application_name: COPY_APPLICATION_NAME,
  });
  await client.connect();
  // A broken connection is reported here as well as to the stream; the stream's error is the one used.
  client.on('error', () => {});
  let sqlText: string;
  try {
    sqlText = `copy (${inlineParams(query, (text) => client.escapeLiteral(text))}) to stdout with (format ${format})`;
  } catch (error) {
    await client.end();
    throw error;
  }
  const stream = client.query(copyTo(sqlText));
  // Ended, failed or destroyed: the connection goes. Not awaited: a dead connection never answers.
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    client.end().catch(() => {});
  };
  stream.once('error', end);
  stream.once('close', end);
  return stream;
}
