import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { ValidationError } from '../errors';

/** The conditions of one list query, with their parameters in order. */
export class Conditions {
  private readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(clause: string, ...params: unknown[]): this {
    this.clauses.push(clause);
    this.params.push(...params);
    return this;
  }

  /** Adds `clause` only when `value` is given (not undefined, null or ''). */
  when<T>(value: T | undefined | null, clause: string, param: (value: T) => unknown = (v) => v): this {
    if (value === undefined || value === null || value === '') return this;
    return this.add(clause, param(value));
  }

  /** A copy with one more condition. */
  and(clause: string, ...params: unknown[]): Conditions {
    const copy = new Conditions();
    copy.clauses.push(...this.clauses, clause);
    copy.params.push(...this.params, ...params);
    return copy;
  }

  get sql(): string {
    return this.clauses.length > 0 ? `where ${this.clauses.join(' and ')}` : '';
  }
}

/** `text` as an ILIKE pattern matching it anywhere, its own % and _ taken literally. */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/**
 * A page of a list that grows to millions of rows: read in (created_at, id) order from a cursor,
 * never by offset, so page 1000 costs what page 1 does.
 */
export interface KeysetPage<T> {
  items: T[];
  /** Pass back to get the next page; null on the last one. */
  nextCursor: string | null;
  /** The planner's estimate of how many rows match: cheap, and only roughly right. */
  estimatedTotal: number | null;
}

/** How a list's rows are keyed: a UUID, or a bigint counter (logs, activity). */
export type KeysetIdKind = 'uuid' | 'bigint';

/** PostgreSQL's `timestamptz::text`, as the previous page wrote it: `2026-03-01 09:00:00.123456+00`. */
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;
const ID_OF: Record<KeysetIdKind, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  bigint: /^[0-9]{1,18}$/,
};

const cursorSchema = z.object({ at: z.string().regex(TIMESTAMP_TEXT), id: z.union([z.string().max(64), z.number()]) });
export type Cursor = z.output<typeof cursorSchema>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/**
 * Reads a cursor back, refusing (400) one that is not what a page of this list wrote: a forged
 * cursor must never reach the SQL, where a wrong type is the database's error, not the caller's.
 */
export function decodeCursor(text: string, idKind: KeysetIdKind = 'uuid'): Cursor {
  const refused = () =>
    new ValidationError('That page link is not valid; go back to the first page', { cursor: ['not valid'] });
  let cursor: Cursor;
  try {
    cursor = cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw refused();
  }
  const at = new Date(cursor.at.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));
  if (Number.isNaN(at.getTime()) || !ID_OF[idKind].test(String(cursor.id))) throw refused();
  return cursor;
}

export interface KeysetOptions {
  cursor?: string | null;
  limit: number;
  order: 'asc' | 'desc';
}

/**
 * Runs `select <columns> from <from> <conditions>` one keyset page at a time. The rows must
 * carry `cursor_at` (created_at::text, exact to the microsecond) and `id`.
 */
export async function keysetPage<Row extends { cursor_at: string; id: string | number }>(
  em: EntityManager,
  query: { columns: string; from: string; alias: string; where: Conditions; idKind?: KeysetIdKind },
  options: KeysetOptions,
): Promise<{ rows: Row[]; nextCursor: string | null; estimatedTotal: number | null }> {
  const { alias, where } = query;
  const estimatedTotal = await estimateRows(em, `select 1 from ${query.from} ${where.sql}`, where.params);
  const dir = options.order;
  let page = where;
  if (options.cursor) {
    const cursor = decodeCursor(options.cursor, query.idKind);
    const op = dir === 'desc' ? '<' : '>';
    page = where.and(`(${alias}.created_at, ${alias}.id) ${op} (?::timestamptz, ?)`, cursor.at, cursor.id);
  }
  const rows = await em.execute<Row[]>(
    `select ${query.columns}, ${alias}.created_at::text as cursor_at from ${query.from} ${page.sql}
      order by ${alias}.created_at ${dir}, ${alias}.id ${dir} limit ?`,
    [...page.params, options.limit + 1],
  );
  const more = rows.length > options.limit;
  const items = more ? rows.slice(0, options.limit) : rows;
  const last = items[items.length - 1];
  return {
    rows: items,
    nextCursor: more && last ? encodeCursor({ at: last.cursor_at, id: last.id }) : null,
    estimatedTotal,
  };
}

/** The planner's row estimate for a query (EXPLAIN, nothing run): a total that costs nothing on huge tables. */
export async function estimateRows(em: EntityManager, sql: string, params: unknown[]): Promise<number | null> {
  const [row] = await em.execute<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }[]>(
    `explain (format json) ${sql}`,
    params,
  );
  const rows = row?.['QUERY PLAN']?.[0]?.Plan?.['Plan Rows'];
  return typeof rows === 'number' ? Math.round(rows) : null;
}
