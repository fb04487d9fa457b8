import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { preparedQuery } from './preparedQuery';

/**
 * Where a statement runs: a node-postgres connection of the engine's hot path, or the ORM's
 * connection in its current transaction. Statements are written once, with `?` placeholders,
 * and run as named prepared statements on either, so PostgreSQL plans each text once per
 * connection.
 */
export interface Sql {
  query<T>(text: string, params: readonly unknown[]): Promise<T[]>;
}

/** The ORM's connection, in `em`'s transaction when it has one. */
export function ormSql(em: EntityManager): Sql {
  return { query: (text, params) => preparedQuery(em, text, params.map(pgValue)) };
}

const numbered = new Map<string, { name: string; text: string }>();

/** `?` placeholders as node-postgres's `$1, $2, …`, and the statement's name; computed once per text. */
function prepare(text: string): { name: string; text: string } {
  let found = numbered.get(text);
  if (!found) {
    let n = 0;
    found = {
      name: `handover_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`,
      text: text.replace(/\?/g, () => `$${++n}`),
    };
    numbered.set(text, found);
  }
  return found;
}

/** A node-postgres client (a pooled connection, in whatever transaction it is in). */
export function pgSql(client: pg.ClientBase): Sql {
  return {
    async query<T>(text: string, params: readonly unknown[]) {
      const { name, text: numberedText } = prepare(text);
      const result = await client.query({ name, text: numberedText, values: params.map(pgValue) });
      return result.rows as T[];
    },
  };
}

/**
 * Runs `work` in a transaction on a connection of `pool`, committing when it returns and
 * rolling back when it throws.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(pgSql(client));
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Statements on any free connection of `pool`, each committing by itself. */
export function poolSql(pool: pg.Pool): Sql {
  return { query: (text, params) => autocommit(pool, text, params) };
}

/** One statement, on its own (it commits by itself). */
export async function autocommit<T>(pool: pg.Pool, text: string, params: readonly unknown[]): Promise<T[]> {
  const { name, text: numberedText } = prepare(text);
  const result = await pool.query({ name, text: numberedText, values: params.map(pgValue) });
  return result.rows as T[];
}

/** Objects and arrays go to json/jsonb as JSON text; node-postgres would send arrays as PostgreSQL arrays. */
function pgValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || value instanceof Date || typeof value !== 'object') return value;
  return JSON.stringify(value);
}

/**
 * A statement written with `:name` placeholders, as `?` ones and a function that puts the values
 * in their order: for long statements where one value appears many times.
 */
export function named<K extends string>(text: string): { text: string; params(values: Record<K, unknown>): unknown[] } {
  const order: K[] = [];
  const positional = text.replace(/(?<!:):([a-z][a-zA-Z]*)\b/g, (_, name: K) => {
    order.push(name);
    return '?';
  });
  return { text: positional, params: (values) => order.map((name) => values[name]) };
}
