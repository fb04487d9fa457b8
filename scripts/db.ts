// Database commands: `pnpm db:migrate`, `pnpm db:migration:create -- <name>`, `pnpm db:seed`,
// `pnpm db:backup -- <file>`, `pnpm db:restore -- <file>` (DATABASE_URL: the database backed up or restored into).
import { createMigration } from '@handover/db';
import { backupDatabase, restoreDatabase } from './lib/backup';
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
    case 'backup':
    case 'restore': {
      const url = process.env.DATABASE_URL;
      const file = args.find((a) => a !== '--');
      if (!url || !file) {
        console.error(`usage: DATABASE_URL=postgres://… pnpm db:${command} -- <file>`);
        process.exitCode = 2;
        return;
      }
      if (command === 'backup') {
        const { tables, migrations } = await backupDatabase(url, file);
        console.log(`wrote ${file}: ${tables} tables at migration ${migrations}`);
      } else {
        const { tables, rows } = await restoreDatabase(url, file);
        console.log(`restored ${rows} rows into ${tables} tables from ${file}`);
      }
      return;
    }
    default:
      console.error('usage: tsx scripts/db.ts <migration:create [name] | backup <file> | restore <file>>');
      process.exitCode = 2;
  }
}

await main();
