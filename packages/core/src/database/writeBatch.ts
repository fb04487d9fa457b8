import type { EntityManager } from '@mikro-orm/postgresql';
import { addJobCall, type JobSpec } from '../jobs/addJob';
import { ormSql, type Sql } from './sql';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

interface Part {
  sql: string;
  params: unknown[];
  /**
   * The same write, made to happen only when the statement's `lead` CTE returned a row: for a
   * batch led by a guarded update and sent on its own, outside a transaction.
   */
  guarded?: string | { table: string; columns: string[]; rows: number };
}

/** Column types of the tables batches insert into, read once per process: a guarded insert casts its values. */
const columnTypes = new Map<string, Map<string, string>>();

async function typesOf(sql: Sql, tables: string[]): Promise<void> {
  const missing = tables.filter((table) => !columnTypes.has(table));
  if (missing.length === 0) return;
  const rows = await sql.query<{ table_name: string; column_name: string; type: string }>(
    `select c.table_name, c.column_name, format_type(a.atttypid, a.atttypmod) as type
       from information_schema.columns c
       join pg_attribute a on a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass
                          and a.attname = c.column_name
      where c.table_schema = current_schema() and c.table_name in (${missing.map(() => '?').join(', ')})`,
    missing,
  );
  for (const table of missing) columnTypes.set(table, new Map());
  for (const row of rows) columnTypes.get(row.table_name)?.set(row.column_name, row.type);
}

/**
 * Writes that do not read each other, sent as ONE prepared statement (data-modifying CTEs) in
 * the caller's transaction. The payment webhook's hot path uses it: an order, its items, records,
 * jobs, payment and log rows cost one round trip instead of one per table. Ids are made by the
 * caller, so no write needs another's result; foreign keys are checked at the end of the
 * statement, so parents and children may go in together.
 */
export class WriteBatch {
  private readonly parts: Part[] = [];

  /** Rows of one table, keyed by column name; columns left out take their defaults. */
  insert(table: string, rows: Record<string, unknown>[]): this {
    const [first] = rows;
    if (!first) return this;
    const columns = Object.keys(first);
    for (const name of [table, ...columns]) {
      if (!IDENTIFIER.test(name)) throw new Error(`WriteBatch: "${name}" is not a plain SQL identifier`);
    }
    // Plain VALUES: one text per table and row count, so the prepared statements stay few.
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    this.parts.push({
      sql: `insert into ${table} (${columns.join(', ')}) values ${rows.map(() => tuple).join(', ')} returning 1`,
      params: rows.flatMap((row) => columns.map((column) => sqlValue(row[column]))),
      guarded: { table, columns, rows: rows.length },
    });
    return this;
  }

  /**
   * Any other write (an update, say); it must end in `returning 1` so the statement can count it.
   * `guarded` is the same write that happens only when the `lead` CTE returned a row, with the
   * same parameters; without it, the batch cannot be sent guarded.
   */
  write(sql: string, params: unknown[], guarded?: string): this {
    this.parts.push({ sql, params, guarded });
    return this;
  }

  /** graphile-worker jobs, added exactly as addJob adds them (same keys, same replacement rules). */
  jobs(specs: JobSpec[]): this {
    for (const spec of specs) {
      const call = addJobCall(spec);
      this.parts.push({
        sql: `select 1 from ${call.sql}`,
        params: call.params,
        guarded: `select ${call.sql} from lead`,
      });
    }
    return this;
  }

  /** Whether every write of the batch has a guarded form (see executeGuarded). */
  get canGuard(): boolean {
    return this.parts.every((part) => part.guarded !== undefined);
  }

  /**
   * Sends `lead` (an update returning the rows it changed) and every write, as one statement
   * that commits by itself: the writes happen only when `lead` changed a row. Returns how many
   * it changed. Only for a batch that `canGuard`.
   */
  async executeGuarded(sql: Sql, lead: { sql: string; params: unknown[] }): Promise<number> {
    const tables = this.parts.flatMap((part) => (typeof part.guarded === 'object' ? [part.guarded.table] : []));
    await typesOf(sql, [...new Set(tables)]);
    const ctes = this.parts.map((part, i) => {
      const guarded = part.guarded;
      if (guarded === undefined) throw new Error('WriteBatch: a write without a guarded form');
      if (typeof guarded === 'string') return `w${i} as (${guarded})`;
      const types = columnTypes.get(guarded.table);
      const cast = (column: string) => `?::${types?.get(column) ?? 'text'}`;
      const tuple = `(${guarded.columns.map(cast).join(', ')})`;
      const values = Array.from({ length: guarded.rows }, () => tuple).join(', ');
      const columns = guarded.columns.join(', ');
      return `w${i} as (insert into ${guarded.table} (${columns})
               select * from (values ${values}) v (${columns}) where exists (select 1 from lead) returning 1)`;
    });
    const counts = ['0', ...this.parts.map((_, i) => `(select count(*) from w${i})`)];
    const [row] = await sql.query<{ lead: string }>(
      `with ${[`lead as (${lead.sql})`, ...ctes].join(',\n')}
       select (select count(*) from lead) as lead, ${counts.join(' + ')} as written`,
      [...lead.params, ...this.parts.flatMap((part) => part.params)],
    );
    return Number(row?.lead ?? 0);
  }

  get isEmpty(): boolean {
    return this.parts.length === 0;
  }

  /**
   * Sends every write as one statement, on the ORM's connection (`em`'s transaction) or on the
   * engine's; each CTE is referenced, so each runs exactly once. With `lead`, a statement that
   * goes first in the same statement (an update that must find its row): the count of rows it
   * returned comes back, for the caller to roll back when it found none.
   */
  async execute(target: EntityManager | Sql, lead?: { sql: string; params: unknown[] }): Promise<number> {
    if (this.parts.length === 0 && !lead) return 0;
    const sql = 'getConnection' in target ? ormSql(target) : target;
    const parts = lead ? [lead, ...this.parts] : this.parts;
    const ctes = parts.map((part, i) => `w${i} as (${part.sql})`).join(',\n');
    const counts = parts.map((_, i) => `(select count(*) from w${i})`);
    const [row] = await sql.query<{ lead: string }>(
      `with ${ctes}\nselect ${lead ? counts[0] : '0'} as lead, ${counts.join(' + ')} as written`,
      parts.flatMap((part) => part.params),
    );
    return Number(row?.lead ?? 0);
  }
}

/** Objects and arrays go to json/jsonb columns as JSON text; the driver would send arrays as PostgreSQL arrays. */
function sqlValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || value instanceof Date || typeof value !== 'object') return value;
  return JSON.stringify(value);
}
