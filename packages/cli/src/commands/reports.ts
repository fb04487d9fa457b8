import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { CommandContext } from '../context.ts';
import { CliError, EXIT } from '../exitCodes.ts';
import { formatBytes } from '../output.ts';

/** Bytes the bar counts as one step: the size is not known ahead, so the bar fills a megabyte at a time. */
const STEP = 64 * 1024;
const BAR_STEPS = 16;

export function reportCommands(program: Command, ctx: () => CommandContext): void {
  const reports = program.command('reports').description('finance reports');
  reports
    .command('download <report>')
    .description(
      'a report (revenue, revenue-by-day, refunds, fulfillment, provider-errors, data-bundles, wallet, …) to a file',
    )
    .requiredOption('--from <day>', 'the first day, YYYY-MM-DD')
    .requiredOption('--to <day>', 'the last day, YYYY-MM-DD')
    .option('--format <format>', 'csv or xlsx', 'csv')
    .option('--tz <zone>', "the days' time zone (the business's by default)")
    .option('--product <id>', 'one product')
    .option('--driver <driver>', 'one driver')
    .option('--gateway <gateway>', 'one payment gateway')
    .option('-o, --output <file>', 'where to write it (default: the name the server gives)')
    .action(async (report: string, options) => {
      const c = ctx();
      if (!['csv', 'xlsx'].includes(options.format)) throw new CliError('--format is csv or xlsx', EXIT.usage);
      const download = await c.ui.spin(`Asking for ${report}`, () =>
        c.client().reports.download(report, {
          from: options.from,
          to: options.to,
          format: options.format,
          timeZone: options.tz,
          productId: options.product,
          driver: options.driver,
          gateway: options.gateway,
        }),
      );
      const target = c.path(options.output ?? download.fileName);
      // Written beside the target and moved into place once whole: a cut download leaves no short file.
      const partial = `${target}.part`;
      const bar = c.ui.bar(`Downloading ${download.fileName}`, BAR_STEPS);
      let bytes = 0;
      let shown = 0;
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          bytes += chunk.byteLength;
          const steps = Math.min(BAR_STEPS - 1, Math.floor(bytes / STEP)) - shown;
          if (steps > 0) {
            shown += steps;
            bar.advance(steps, `Downloading ${download.fileName}: ${formatBytes(bytes)}`);
          }
          controller.enqueue(chunk);
        },
      });
      try {
        await download.body.pipeThrough(counter).pipeTo(Writable.toWeb(createWriteStream(partial)));
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        bar.stop('The download was cut off');
        throw error;
      }
      bar.stop(`${download.fileName}: ${formatBytes(bytes)}`);
      c.out.result(
        { file: target, bytes, contentType: download.contentType },
        `Saved ${formatBytes(bytes)} to ${target}`,
      );
    });
}
