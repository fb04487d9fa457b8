import type { EntityManager } from '@mikro-orm/postgresql';

/** A query with `?` placeholders and its parameters in order. */
export interface SqlQuery {
  sql: string;
  params: unknown[];
}

const RAW = Symbol('raw');
interface Raw {
  [RAW]: string;
}

/** SQL text put in as written: only for column names and fragments made here, never for input. */
export function raw(text: string): Raw {
  return { [RAW]: text };
}

function isQuery(value: unknown): value is SqlQuery {
  return typeof value === 'object' && value !== null && 'sql' in value && 'params' in value;
}

/**
 * Builds a query: each `${value}` becomes a `?` parameter, a nested query is spliced in with its
 * parameters, and `raw(...)` is put in as text. Arrays go as JSON (knex would spread them).
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlQuery {
  let text = strings[0] ?? '';
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (isQuery(value)) {
      text += value.sql;
      params.push(...value.params);
    } else if (typeof value === 'object' && value !== null && RAW in value) {
      text += (value as Raw)[RAW];
    } else {
      text += '?';
      params.push(Array.isArray(value) ? JSON.stringify(value) : value);
    }
    text += strings[i + 1] ?? '';
  });
  return { sql: text, params };
}

/** `parts` joined by `separator`; the empty query when there are none. */
export function join(parts: SqlQuery[], separator: string): SqlQuery {
  return { sql: parts.map((part) => part.sql).join(separator), params: parts.flatMap((part) => part.params) };
}

/** `and`-joined conditions, skipping the undefined ones; `true` when none are left. */
export function allOf(...conditions: (SqlQuery | undefined | false | '')[]): SqlQuery {
  const given = conditions.filter((c): c is SqlQuery => Boolean(c));
  return given.length === 0 ? { sql: 'true', params: [] } : join(given, ' and ');
}

/** Runs a report query in `em`'s connection (or its transaction) and returns its rows. */
export function rowsOf<T>(em: EntityManager, query: SqlQuery): Promise<T[]> {
  return em.execute<T[]>(query.sql, query.params);
}
