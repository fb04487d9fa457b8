import type { Command } from 'commander';
import type { CommandContext } from '../context.ts';
import { dayRange, limitOption } from './options.ts';

/** How many of the newest lines each look reads. */
const WINDOW = 200;
const COLUMNS = [
  'createdAt',
  'kind',
  'step',
  'status',
  'driver',
  'subject',
  'method',
  'url',
  'httpStatus',
  'errorMessage',
];

interface LogOptions {
  driver?: string;
  network?: string;
  status?: string;
  kind?: string;
  phone?: string;
  subject?: string;
  error?: string;
  record?: string;
  order?: string;
  from?: string;
  to?: string;
  lines: number;
  follow?: boolean;
  interval: number;
}

export function logCommands(program: Command, ctx: () => CommandContext): void {
  const logs = program.command('logs').description('fulfillment logs (staff), with the back office’s filters');
  logs
    .command('tail')
    .description('the latest log lines, oldest first; --follow prints new ones as they come')
    .option('--driver <driver>', 'm365-domain, private-smtp, data-bundle, …')
    .option('--network <network>', 'a data network (MTN, …)')
    .option('--status <status>', 'pending, processing, success, failed')
    .option('--kind <kind>', 'attempt, provider_call, transition, compensation, sync')
    .option('--phone <number>', 'a phone number')
    .option('--subject <text>', 'part of the domain or number')
    .option('--error <text>', 'part of the error')
    .option('--record <id>', "one record's logs")
    .option('--order <id>', "one order's logs")
    .option('--from <day>', 'on or after this day (YYYY-MM-DD)')
    .option('--to <day>', 'on or before this day (YYYY-MM-DD)')
    .option('-n, --lines <n>', 'how many lines to start with', limitOption, 20)
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .option('--interval <ms>', 'how often to look for new lines while following', limitOption, 2000)
    .action(async (options: LogOptions) => {
      const c = ctx();
      const bo = c.client().backOffice.fulfillment;
      const filter = {
        driver: options.driver,
        network: options.network,
        status: options.status as never,
        kind: options.kind as never,
        phoneNumber: options.phone,
        subject: options.subject,
        error: options.error,
        recordId: options.record,
        orderId: options.order,
        ...dayRange(options.from, options.to),
      };
      const print = (rows: readonly object[]) => {
        if (rows.length === 0) return;
        // Followed with --json: one JSON object a line, for piping.
        if (c.out.json) for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
        else c.out.table(rows, COLUMNS);
      };
      // The newest 200 are known; what a later look finds beyond them is new (a line committed late too).
      const window = async () => (await bo.logs.query({ ...filter, order: 'desc', limit: WINDOW })).items;
      const newest = await window();
      const first = newest.slice(0, options.lines).reverse();
      if (!options.follow && c.out.json) {
        c.out.table(first);
        return;
      }
      print(first);
      if (!options.follow) return;

      const seen = new Set(newest.map((row) => row.id));
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      while (!stop.signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, options.interval));
        if (stop.signal.aborted) break;
        const fresh = (await window()).filter((row) => !seen.has(row.id)).reverse();
        for (const row of fresh) seen.add(row.id);
        print(fresh);
        // Keep the memory of a long follow bounded: the newest ids are the ones that matter.
        if (seen.size > WINDOW * 10) for (const id of [...seen].slice(0, seen.size - WINDOW * 2)) seen.delete(id);
      }
    });
}
