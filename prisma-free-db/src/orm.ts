import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { Logger, runMigrations as runWorkerMigrations } from 'graphile-worker';
import pg from 'pg';
import { entities } from './entities';
import { migrationsList } from './migrations';

export interface DatabaseOptions {
  url: string;
  /** Largest number of pooled connections this process may hold. */
  poolMax?: number;
  debug?: boolean;
  /**
   * Hears the query builder's own warnings (a pooled connection that ended under it, say, when
   * the database restarts), which it would otherwise print to the console.
   */
  onConnectionWarning?: (message: string) => void;
}

const migrationsPath = fileURLToPath(new URL('./migrations', import.meta.url));

export function ormConfig({ url, poolMax = 10, debug = false, onConnectionWarning }: DatabaseOptions): Options {
  const warn = onConnectionWarning ?? (() => {});
  return defineConfig({
    clientUrl: url,
    entities,
    extensions: [Migrator],
    debug,
    forceUtcTimezone: true,
    // Ids and timestamps exist as soon as `em.create` returns, so a job can name a row before flush.
    processOnCreateHooksEarly: true,
    pool: { min: 0, max: poolMax },
    driverOptions: {
      // A database that does not answer (a failover, a host gone) fails a query within seconds
      // instead of holding it for a minute; a refused connection fails at once either way.
      acquireConnectionTimeout: 15_000,
      connection: { connectionTimeoutMillis: 5_000 },
      log: { warn, error: warn, deprecate: () => {}, debug: () => {} },
    },
    discovery: { warnWhenNoEntities: false },
    // graphile-worker owns its schema and migrates it itself.
    schemaGenerator: { ignoreSchema: ['graphile_worker'] },
    migrations: {
      path: migrationsPath,
      // Imported, not discovered: works the same under tsx, vitest and a bundle.
      migrationsList,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      // Diffs are taken against a database migrated from the committed files, never a snapshot.
      snapshot: false,
      emit: 'ts',
      silent: true,
      fileName: (timestamp, name) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
  });
}

export type Orm = MikroORM;

/** Opens a connection pool for the app. Does not migrate: call `migrate` first. */
export function openOrm(options: DatabaseOptions): Promise<Orm> {
  return MikroORM.init(ormConfig(options));
}

/**
 * Brings a database to the current schema: the model's committed migrations, then
 * graphile-worker's own schema (its queue lives in the same database).
 */
export async function migrate(url: string): Promise<{ applied: string[] }> {
  // Server and worker processes migrate at start; the lock lets one of them do it at a time.
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const orm = await MikroORM.init(ormConfig({ url, poolMax: 2 }));
    try {
      const applied = await orm.getMigrator().up();
      await runWorkerMigrations({ connectionString: url, logger: quietLogger });
      return { applied: applied.map((m) => m.name) };
    } finally {
      await orm.close(true);
    }
  } finally {
    await lock.end();
  }
}

/** Any constant; it names the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 72_616_001;

/** Writes a migration with the difference between the entities and `url`'s schema. */
export async function createMigration(url: string, name?: string): Promise<string | null> {
  const orm = await MikroORM.init(ormConfig({ url, poolMax: 2 }));
  try {
    const migrator = orm.getMigrator();
    await migrator.up();
    const result = await migrator.createMigration(migrationsPath, false, false, name);
    if (result.diff.up.length === 0) return null;
    writeMigrationsIndex();
    return result.fileName;
  } finally {
    await orm.close(true);
  }
}

const quietLogger = new Logger(() => () => {});

/** Rewrites migrations/index.ts to import every migration file, oldest first. */
function writeMigrationsIndex(): void {
  const names = readdirSync(migrationsPath)
    .filter((file) => /^Migration\d+.*\.ts$/.test(file))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
  const lines = [
    '// Written by `pnpm db:migration:create`: every migration, oldest first.',
    "import type { MigrationObject } from '@mikro-orm/core';",
    ...names.map((name) => `import { ${name} } from './${name}';`),
    '',
    'export const migrationsList: MigrationObject[] = [',
    ...names.map((name) => `  { name: '${name}', class: ${name} },`),
    '];',
    '',
  ];
  writeFileSync(join(migrationsPath, 'index.ts'), lines.join('\n'));
}
