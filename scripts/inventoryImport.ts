// `pnpm inventory:import -- --pool <slug> <file.csv> [--dry-run]`: adds accounts to an
// inventory pool from a CSV `email,password,notes` (seed 000 "How You Add Microsoft
// Accounts"). All or nothing; exits 1 when a row is refused, 2 on a usage mistake.
import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ConfigError,
  envDatabaseUrl,
  envEncryptionKeys,
  type InventoryImportResult,
  importInventoryCsv,
  NotFoundError,
  parseEnv,
  SecretBox,
} from '@handover/core';
import { openOrm } from '@handover/db';
import { z } from 'zod';
import { repoRoot } from './lib/processes';

const USAGE = 'usage: pnpm inventory:import -- --pool <pool-slug> <file.csv> [--dry-run]';

if (typeof process.loadEnvFile === 'function') {
  try {
    process.loadEnvFile(resolve(repoRoot, '.env'));
  } catch {
    // No .env: the environment alone applies.
  }
}

function usageError(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const OPTIONS = { pool: { type: 'string' }, 'dry-run': { type: 'boolean' } } as const;

function parseCommandLine() {
  const argv = process.argv.slice(2);
  try {
    // pnpm passes the `--` that separates its own options on to the script.
    return parseArgs({ args: argv[0] === '--' ? argv.slice(1) : argv, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    usageError((error as Error).message);
  }
}

function readArgs(): { pool: string; file: string; dryRun: boolean } {
  const parsed = parseCommandLine();
  const { values, positionals } = parsed;
  if (!values.pool) usageError('Name the pool with --pool (for example --pool microsoft-365).');
  if (positionals.length !== 1 || !positionals[0]) usageError('Give exactly one CSV file.');
  // pnpm runs scripts from the repository root; INIT_CWD is where the command was typed.
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]);
  return { pool: values.pool, file, dryRun: values['dry-run'] ?? false };
}

function printReport(result: InventoryImportResult, file: string): void {
  const lines = [`${result.preview ? 'Preview of the import' : 'Import'} of ${file} into pool "${result.pool.slug}"`];
  if (result.errors.length > 0) {
    lines.push(
      `${result.errors.length} row(s) refused, so nothing ${result.preview ? 'would be' : 'was'} imported. Fix these lines and run again:`,
      ...result.errors.map((error) => `  line ${error.line}: ${error.message}`),
    );
  } else {
    lines.push(`${result.imported} account(s) ${result.preview ? 'would be imported (nothing written)' : 'imported'}.`);
  }
  if (result.skippedDuplicates.length > 0) {
    lines.push(
      `${result.skippedDuplicates.length} duplicate(s) skipped:`,
      ...result.skippedDuplicates.map((skip) => `  line ${skip.line}: ${skip.email} (${skip.reason})`),
    );
  }
  console.log(lines.join('\n'));
}

async function main(): Promise<number> {
  const args = readArgs();
  const env = parseEnv(
    'inventory:import',
    z.object({ DATABASE_URL: envDatabaseUrl, HANDOVER_ENCRYPTION_KEYS: envEncryptionKeys }),
    process.env,
  );
  try {
    if (!statSync(args.file).isFile()) usageError(`${args.file} is not a file.`);
  } catch {
    usageError(`Cannot read ${args.file}.`);
  }

  const orm = await openOrm({ url: env.DATABASE_URL, poolMax: 1 });
  try {
    const result = await importInventoryCsv(orm.em.fork(), createReadStream(args.file), {
      poolSlug: args.pool,
      box: new SecretBox(env.HANDOVER_ENCRYPTION_KEYS),
      preview: args.dryRun,
    });
    printReport(result, args.file);
    return result.errors.length > 0 ? 1 : 0;
  } finally {
    await orm.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError || error instanceof NotFoundError ? error.message : error);
    process.exit(1);
  },
);
