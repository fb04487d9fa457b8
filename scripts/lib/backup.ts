import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { migrate } from '@handover/db';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/**
 * A logical backup of Handover's database: every table of the model and of graphile-worker's queue,
 * in COPY's text format, taken in one snapshot, gzipped. Restoring it needs the same migrations
 * (the dump names them), so the schema comes from the code and the rows from the dump. It works
 * with the server's own protocol only, so it needs no pg_dump of the server's major version (the
 * embedded PostgreSQL ships none).
 *
 * File: a header line (JSON), then per table a line `{"table", "columns"}`, its rows, and `\.`.
 */
const SCHEMAS = ['public', 'graphile_worker'];
/** Written by `migrate` itself on the fresh database: never copied over it. */
const MIGRATION_TABLES = new Set(['public.mikro_orm_migrations', 'graphile_worker.migrations']);
const END = '\\.';

interface Table {
  name: string;
  columns: string[];
}

async function listTables(client: pg.Client): Promise<Table[]> {
  const { rows } = await client.query<{ name: string; columns: string[] }>(
    `select format('%I.%I', n.nspname, c.relname) as name,
            array_agg(format('%I', a.attname) order by a.attnum) as columns
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      where c.relkind in ('r', 'p') and n.nspname = any($1) and not c.relispartition
      group by n.nspname, c.relname
      order by n.nspname, c.relname`,
    [SCHEMAS],
  );
  return rows.filter((t) => !MIGRATION_TABLES.has(t.name.replaceAll('"', '')));
}

async function appliedMigrations(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>('select name from mikro_orm_migrations order by id');
  return rows.map((r) => r.name);
}

export interface BackupSummary {
  tables: number;
  migrations: number;
}

/** Writes a backup of the database at `url` to `file`. */
export async function backupDatabase(url: string, file: string): Promise<BackupSummary> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(file));
  try {
    // One snapshot for every table: a backup taken while the workers run is still consistent.
    await client.query('begin isolation level repeatable read read only');
    const tables = await listTables(client);
    const migrations = await appliedMigrations(client);
    gzip.write(`${JSON.stringify({ format: 'handover-backup/1', takenAt: new Date().toISOString(), migrations })}\n`);
    for (const table of tables) {
      gzip.write(`${JSON.stringify({ table: table.name, columns: table.columns })}\n`);
      const rows = client.query(copyTo(`copy (select ${table.columns.join(', ')} from ${table.name}) to stdout`));
      for await (const chunk of rows) gzip.write(chunk);
      gzip.write(`${END}\n`);
    }
    await client.query('commit');
    gzip.end();
    await written;
    return { tables: tables.length, migrations: migrations.length };
  } catch (error) {
    gzip.destroy();
    await written.catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * Restores `file` into the empty database at `url`: migrates it to the dump's migrations, then
 * copies every table's rows in one transaction (foreign keys checked as a whole at the end, by
 * running as a replica while copying), and moves every sequence past its rows.
 */
export async function restoreDatabase(url: string, file: string): Promise<{ tables: number; rows: number }> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await iterator.next();
    return done ? undefined : (value as string);
  };
  const header = JSON.parse((await next()) ?? '{}') as { format?: string; migrations?: string[] };
  if (header.format !== 'handover-backup/1') throw new Error(`${file} is not a Handover backup`);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const existing = await client.query(`select to_regclass('public.mikro_orm_migrations') is not null as present`);
    if (existing.rows[0]?.present) {
      throw new Error('The target database is not empty: restore into a freshly created database.');
    }
    await migrate(url);
    const migrations = await appliedMigrations(client);
    if (JSON.stringify(migrations) !== JSON.stringify(header.migrations)) {
      throw new Error(
        `The backup was taken at another schema version (${header.migrations?.length ?? 0} migrations, this release has ${migrations.length}): restore it with the release that took it, then upgrade.`,
      );
    }
    await client.query('begin');
    await client.query(`set local session_replication_role = replica`);
    const targets = await listTables(client);
    // Rows the migrations themselves wrote are replaced by the dump's.
    if (targets.length > 0) await client.query(`truncate ${targets.map((t) => t.name).join(', ')}`);
    let tables = 0;
    let rows = 0;
    for (let line = await next(); line !== undefined; line = await next()) {
      const { table, columns } = JSON.parse(line) as { table: string; columns: string[] };
      const copy = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
      const done = new Promise<void>((resolve, reject) => {
        copy.on('finish', resolve);
        copy.on('error', reject);
      });
      for (let row = await next(); row !== END; row = await next()) {
        if (row === undefined) throw new Error(`${file} ends in the middle of ${table}`);
        if (!copy.write(`${row}\n`)) await new Promise((resolve) => copy.once('drain', resolve));
        rows += 1;
      }
      copy.end();
      await done;
      tables += 1;
    }
    // Sequences (serial and identity columns) continue after the restored rows.
    await client.query(`
      do $$
      declare r record;
      begin
        for r in
          select format('%I.%I', n.nspname, c.relname) as tbl, a.attname as col,
                 pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) as seq
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
           where c.relkind = 'r' and n.nspname in ('public', 'graphile_worker')
        loop
          if r.seq is not null then
            execute format('select setval(%L, coalesce((select max(%I) from %s), 0) + 1, false)', r.seq, r.col, r.tbl);
          end if;
        end loop;
      end $$`);
    await client.query('commit');
    return { tables, rows };
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
