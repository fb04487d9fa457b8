import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CommandContext } from '../context.ts';
import { CliError, EXIT } from '../exitCodes.ts';

/** What one API call takes; larger files go through `pnpm inventory:import` on the server. */
const MAX_CHARS = 200_000;

export function inventoryCommands(program: Command, ctx: () => CommandContext): void {
  const inventory = program.command('inventory').description('inventory pools (ops and admin)');
  inventory
    .command('import <file>')
    .description('add accounts to a pool from a CSV of email,password,notes; all or nothing')
    .requiredOption('--pool <slug>', 'the pool, e.g. microsoft-365')
    .option('--dry-run', 'check the file and say what would happen; write nothing')
    .action(async (fileName: string, options: { pool: string; dryRun?: boolean }) => {
      const c = ctx();
      const file = c.path(fileName);
      const csv = await readFile(file, 'utf8').catch((error: Error) => {
        throw new CliError(`${file}: ${error.message}`, EXIT.usage);
      });
      if (csv.length > MAX_CHARS) {
        throw new CliError(
          `${file} is over 200 KB: import it on the server with \`pnpm inventory:import\`.`,
          EXIT.usage,
        );
      }
      const bo = c.client().backOffice.inventory;
      const input = { poolSlug: options.pool, csv };
      const report = await c.ui.spin(options.dryRun ? 'Checking the file' : 'Importing', () =>
        options.dryRun ? bo.previewImport.mutate(input) : bo.import.mutate(input),
      );
      if (c.out.json) c.out.record(report);
      else {
        c.out.record({
          pool: report.pool.slug,
          preview: report.preview,
          imported: report.imported,
          duplicates: report.skippedDuplicates.length,
          refused: report.errors.length,
        });
        if (report.errors.length > 0) c.out.table(report.errors as object[]);
      }
      if (report.errors.length > 0)
        throw new CliError(`${report.errors.length} row(s) were refused; nothing was imported.`, EXIT.invalid);
    });
}
