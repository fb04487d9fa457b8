import { readFile, writeFile } from 'node:fs/promises';
import { productInputSchema } from '@handover/contracts';
import type { Command } from 'commander';
import { z } from 'zod';
import type { CommandContext } from '../context.ts';
import { CliError, EXIT } from '../exitCodes.ts';

/** The fields a product is made from: what export writes and import reads. */
const FIELDS = Object.keys(productInputSchema.shape) as (keyof typeof productInputSchema.shape)[];

const fileSchema = z.array(z.record(z.string(), z.unknown()), { error: 'the file must be a JSON array of products' });

export function productCommands(program: Command, ctx: () => CommandContext): void {
  const products = program.command('products').description('the catalog (staff read it; admins import)');

  products
    .command('export')
    .description('every product as JSON, in the shape import takes')
    .option('-o, --output <file>', 'write to a file instead of the screen')
    .action(async (options: { output?: string }) => {
      const c = ctx();
      const all = await c.ui.spin('Reading products', () => c.client().backOffice.products.list.query({}));
      const exported = all.map((product) =>
        Object.fromEntries(FIELDS.map((field) => [field, (product as Record<string, unknown>)[field]])),
      );
      const text = `${JSON.stringify(exported, null, 2)}\n`;
      if (!options.output) {
        process.stdout.write(text);
        return;
      }
      const file = c.path(options.output);
      await writeFile(file, text);
      c.out.result({ file, products: exported.length }, `Wrote ${exported.length} products to ${file}`);
    });

  products
    .command('import <file>')
    .description('create or update products by slug from a JSON file, all or nothing')
    .option('--dry-run', 'check every product and say what would change; write nothing')
    .action(async (fileName: string, options: { dryRun?: boolean }) => {
      const c = ctx();
      const file = c.path(fileName);
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new CliError(`${file}: ${(error as Error).message}`, EXIT.usage);
      }
      const list = fileSchema.safeParse(parsed);
      if (!list.success) throw new CliError(`${file}: ${z.prettifyError(list.error)}`, EXIT.invalid);
      // Checked here with the form's own schema first, so a typo is named before anything is sent.
      const local = list.data.flatMap((product, index) => {
        const checked = productInputSchema.safeParse(product);
        const slug = typeof product.slug === 'string' ? product.slug : null;
        return checked.success
          ? []
          : checked.error.issues.map((issue) => ({ index, slug, field: issue.path.join('.'), problem: issue.message }));
      });
      if (local.length > 0) {
        c.out.table(local, ['index', 'slug', 'field', 'problem']);
        throw new CliError(`${file} has products that are not valid; nothing was imported.`, EXIT.invalid);
      }
      const report = await c.ui.spin(options.dryRun ? 'Checking the products' : 'Importing the products', () =>
        c.client().backOffice.products.import.mutate({ products: list.data, dryRun: options.dryRun ?? false }),
      );
      if (c.out.json) c.out.record(report);
      else {
        const rows = [
          ...report.created.map((slug) => ({ slug, change: 'create' })),
          ...report.updated.map((slug) => ({ slug, change: 'update' })),
          ...report.errors.map((e) => ({ slug: e.slug ?? `#${e.index}`, change: `refused: ${e.message}` })),
        ];
        c.out.table(rows, ['slug', 'change']);
        c.out.line(
          report.saved
            ? `Imported: ${report.created.length} created, ${report.updated.length} updated.`
            : report.dryRun && report.errors.length === 0
              ? 'Dry run: nothing was written.'
              : 'Nothing was imported.',
        );
      }
      if (report.errors.length > 0)
        throw new CliError(`${report.errors.length} product(s) were refused.`, EXIT.invalid);
    });
}
