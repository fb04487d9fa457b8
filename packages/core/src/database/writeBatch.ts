import type { EntityManager } from '@mikro-orm/postgresql';
import { addJobCall, type JobSpec } from '../jobs/addJob';
import { ormSql, type Sql } from './sql';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

interface Part {
  sql: string;
  params: unknown[];
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
    });
    return this;
  }

  /** Any other write (an update, say); it must end in `returning 1` so the statement can count it. */
  write(sql: string, params: unknown[]): this {
    this.parts.push({ sql, params });
    return this;
  }

  /** graphile-worker jobs, added exactly as addJob adds them (same keys, same replacement rules). */
  jobs(specs: JobSpec[]): this {
    for (const spec of specs) {
      const call = addJobCall(spec);
      this.parts.push({ sql: `select 1 from ${call.sql}`, params: call.params });
    }
    return this;
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
