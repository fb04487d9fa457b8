import type { Command } from 'commander';
import type { CommandContext } from '../context.ts';
import { CliError, EXIT } from '../exitCodes.ts';
import { dayRange, limitOption } from './options.ts';

/** Above this many records, a person says yes first. */
const CONFIRM_ABOVE = 10;
/** The API takes this many record ids per call. */
const CHUNK = 200;
const COLUMNS = ['id', 'orderCode', 'driver', 'subject', 'status', 'attempts', 'lastError', 'createdAt'];

interface RecordFilter {
  status?: string;
  driver?: string;
  subject?: string;
  error?: string;
  order?: string;
  from?: string;
  to?: string;
}

const filterOptions = (command: Command) =>
  command
    .option('--status <status>', 'failed, queued, awaiting_provider, …')
    .option('--driver <driver>', 'm365-domain, private-smtp, data-bundle, manual, …')
    .option('--subject <text>', 'part of the domain, phone number, … the record delivers')
    .option('--error <text>', 'part of its last error')
    .option('--order <id>', "one order's records")
    .option('--from <day>', 'made on or after this day (YYYY-MM-DD)')
    .option('--to <day>', 'made on or before this day (YYYY-MM-DD)');

function listFilter(options: RecordFilter) {
  return {
    status: options.status as never,
    driver: options.driver,
    subject: options.subject,
    error: options.error,
    orderId: options.order,
    ...dayRange(options.from, options.to),
  };
}

/** The ids given, or every record the filter finds. */
async function chosen(c: CommandContext, ids: string[], options: RecordFilter): Promise<string[]> {
  const filtered = Object.values(options).some((value) => value !== undefined);
  if (ids.length > 0 && filtered) throw new CliError('Give record ids or a filter, not both.', EXIT.usage);
  if (ids.length > 0) return [...new Set(ids)];
  if (!filtered)
    throw new CliError('Give record ids, or a filter such as --status failed --driver manual.', EXIT.usage);
  return c.ui.spin(
    'Finding the records',
    async (update) => {
      const found: string[] = [];
      for await (const record of c.client().backOffice.fulfillment.records.iterate(listFilter(options))) {
        found.push(record.id);
        if (found.length % 200 === 0) update(`Finding the records: ${found.length}`);
      }
      return found;
    },
    (found) => `${found.length} record${found.length === 1 ? '' : 's'} found`,
  );
}

/** Runs `operation` over the records in chunks, with a progress bar; a table of each record's result. */
async function operate(
  c: CommandContext,
  [verb, done]: [string, string],
  ids: string[],
  yes: boolean,
  operation: (chunk: string[]) => Promise<{ recordId: string; ok: boolean; message: string }[]>,
): Promise<void> {
  if (ids.length === 0) {
    c.out.result([], 'No records match.');
    return;
  }
  if (ids.length > CONFIRM_ABOVE) await c.ui.confirm(`${verb} ${ids.length} records?`, yes);
  const bar = c.ui.bar(`${verb} ${ids.length} records`, ids.length);
  const results: { recordId: string; ok: boolean; message: string }[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    results.push(...(await operation(chunk)));
    bar.advance(chunk.length);
  }
  const failed = results.filter((r) => !r.ok).length;
  bar.stop(`${results.length - failed} done, ${failed} not`);
  c.out.table(results, ['recordId', 'ok', 'message']);
  if (failed > 0) throw new CliError(`${failed} of ${results.length} records were not ${done}.`, EXIT.failed);
}

export function recordCommands(program: Command, ctx: () => CommandContext): void {
  const records = program.command('records').description('fulfillment records (staff): list, retry, cancel');

  filterOptions(records.command('list').description('records, newest first'))
    .option('--limit <n>', 'how many at most', limitOption, 50)
    .action(async (options: RecordFilter & { limit: number }) => {
      const c = ctx();
      const rows = await c.ui.spin('Reading records', async () => {
        const found: object[] = [];
        for await (const record of c.client().backOffice.fulfillment.records.iterate(listFilter(options))) {
          found.push(record);
          if (found.length >= options.limit) break;
        }
        return found;
      });
      c.out.table(rows, c.out.json ? undefined : COLUMNS);
    });

  filterOptions(records.command('retry [ids...]').description('put failed records back in the queue'))
    .option('-y, --yes', `do not ask before more than ${CONFIRM_ABOVE} records`)
    .action(async (ids: string[], options: RecordFilter & { yes?: boolean }) => {
      const c = ctx();
      const { yes, ...filter } = options;
      const chosenIds = await chosen(c, ids, filter);
      await operate(c, ['Retry', 'retried'], chosenIds, yes ?? false, (chunk) =>
        c.client().backOffice.fulfillment.retry.mutate({ ids: chunk }),
      );
    });

  filterOptions(records.command('cancel [ids...]').description('stop records not yet delivered, undoing what was done'))
    .requiredOption('--reason <text>', 'why, for the activity log')
    .option('-y, --yes', `do not ask before more than ${CONFIRM_ABOVE} records`)
    .action(async (ids: string[], options: RecordFilter & { yes?: boolean; reason: string }) => {
      const c = ctx();
      const { yes, reason, ...filter } = options;
      const chosenIds = await chosen(c, ids, filter);
      await operate(c, ['Cancel', 'cancelled'], chosenIds, yes ?? false, (chunk) =>
        c.client().backOffice.fulfillment.cancel.mutate({ ids: chunk, reason }),
      );
    });
}
