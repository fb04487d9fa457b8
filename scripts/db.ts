// Database commands: `pnpm db:migrate`, `pnpm db:migration:create -- <name>`, `pnpm db:seed`.
import { createMigration } from '@handover/db';
import { withScratchDatabase } from './lib/scratchDatabase';

const [command, ...args] = process.argv.slice(2);

async function main(): Promise<void> {
  switch (command) {
    case 'migration:create': {
      const name = args.find((a) => a !== '--');
      const file = await withScratchDatabase((url) => createMigration(url, name));
      console.log(
        file ? `wrote prisma-free-db/src/migrations/${file}` : 'The model matches the migrations: nothing to write.',
      );
      return;
    }
    default:
      console.error('usage: tsx scripts/db.ts <migration:create [name]>');
      process.exitCode = 2;
  }
}

await main();
