// `pnpm db:scale -- --rows 1000000`: fills DATABASE_URL (or, without it, a throwaway embedded
// PostgreSQL, which is dropped at the end) with `rows` fulfillment logs and a fifth as many
// orders, with their items, payments, refunds, records and wallet movements.
import { parseArgs } from 'node:util';
import { migrate } from '@handover/db';
import { createTestDatabase, startTestPostgres } from '@handover/db/testing';
import { z } from 'zod';
import { fillScaleData } from './lib/scaleData';

const args = z
  .object({
    rows: z.coerce.number().int().min(1000).max(50_000_000).default(1_000_000),
    orders: z.coerce.number().int().min(100).max(20_000_000).optional(),
    days: z.coerce.number().int().min(1).max(3650).default(365),
  })
  .parse(
    parseArgs({
      // pnpm passes the `--` of `pnpm db:scale -- --rows N` through.
      args: process.argv.slice(2).filter((arg) => arg !== '--'),
      options: { rows: { type: 'string' }, orders: { type: 'string' }, days: { type: 'string' } },
    }).values,
  );

const databaseUrl = z
  .string()
  .url()
  .optional()
  .parse(process.env.DATABASE_URL || undefined);

async function fill(url: string) {
  const orders = args.orders ?? Math.ceil(args.rows / 5);
  const started = performance.now();
  await fillScaleData(url, {
    orders,
    logs: args.rows,
    days: args.days,
    onProgress: (message) =>
      console.log(`${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ${message}`),
  });
  console.log(
    `filled ${orders} orders and ${args.rows} fulfillment logs in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

async function main() {
  if (databaseUrl) {
    await migrate(databaseUrl);
    await fill(databaseUrl);
    return;
  }
  console.log('DATABASE_URL is not set: filling a throwaway embedded PostgreSQL (dropped at the end).');
  const postgres = await startTestPostgres();
  try {
    const database = await createTestDatabase(postgres.adminUrl);
    await fill(database.url);
    await database.drop();
  } finally {
    await postgres.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof z.ZodError ? z.prettifyError(error) : error);
  process.exitCode = 1;
});
