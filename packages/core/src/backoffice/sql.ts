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

const cursorSchema = z.object({ at: z.string().min(1).max(64), id: z.union([z.string().max(64), z.number()]) });
export type Cursor = z.output<typeof cursorSchema>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError('That page link is not valid; go back to the first page', { cursor: ['not valid'] });
  }
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
  query: { columns: string; from: string; alias: string; where: Conditions },
  options: KeysetOptions,
): Promise<{ rows: Row[]; nextCursor: string | null; estimatedTotal: number | null }> {
  const { alias, where } = query;
  const estimatedTotal = await estimateRows(em, `select 1 from ${query.from} ${where.sql}`, where.params);
  const dir = options.order;
  let page = where;
  if (options.cursor) {
    const cursor = decodeCursor(options.cursor);
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
