import type { Command } from 'commander';
import { type CommandContext, isStaff } from '../context.ts';
import { CliError, EXIT } from '../exitCodes.ts';
import { dayRange, limitOption } from './options.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMNS = ['orderCode', 'status', 'fulfillmentStatus', 'email', 'amountMinor', 'currency', 'createdAt', 'id'];

export function orderCommands(program: Command, ctx: () => CommandContext): void {
  const orders = program.command('orders').description('orders: yours, or (staff) everyone’s');

  orders
    .command('list')
    .description('orders, newest first')
    .option('--status <status>', 'paid, refunded, …')
    .option('--fulfillment-status <status>', 'pending, processing, completed, failed, …')
    .option('--search <text>', '(staff) an order code, or part of an email, phone or domain')
    .option('--from <day>', 'made on or after this day (YYYY-MM-DD)')
    .option('--to <day>', 'made on or before this day (YYYY-MM-DD)')
    .option('--limit <n>', 'how many at most', limitOption, 50)
    .action(async (options) => {
      const c = ctx();
      const client = c.client();
      const filter = {
        status: options.status,
        fulfillmentStatus: options.fulfillmentStatus,
        ...dayRange(options.from, options.to),
      };
      const rows = await c.ui.spin('Reading orders', async () => {
        const found: object[] = [];
        const source = isStaff(c.login())
          ? client.backOffice.orders.iterate({ ...filter, q: options.search })
          : client.orders.iterate(filter);
        for await (const order of source) {
          found.push(order);
          if (found.length >= options.limit) break;
        }
        return found;
      });
      c.out.table(rows, c.out.json ? undefined : COLUMNS);
    });

  orders
    .command('show <order>')
    .description('one order, by its code (HO-…) or id')
    .action(async (ref: string) => {
      const c = ctx();
      const client = c.client();
      if (!UUID.test(ref) && !/^HO-[0-9A-Z]{8}$/i.test(ref)) {
        throw new CliError(`"${ref}" is neither an order code (HO-…) nor an id`, EXIT.usage);
      }
      if (isStaff(c.login())) {
        const id = UUID.test(ref)
          ? ref
          : (await client.backOffice.orders.list.query({ q: ref, limit: 1 })).items[0]?.id;
        if (!id) throw new CliError(`No order ${ref}.`, EXIT.notFound);
        const order = await client.backOffice.orders.byId.query({ id });
        if (c.out.json) return c.out.record(order);
        c.out.record(scalars(order));
        c.out.line('');
        c.out.table(order.records as object[], ['id', 'driver', 'subject', 'status', 'attempts', 'lastError']);
        return;
      }
      const order = UUID.test(ref)
        ? await client.orders.byId.query({ id: ref })
        : await client.orders.byCode.query({ orderCode: ref });
      if (c.out.json) return c.out.record(order);
      c.out.record(scalars(order));
      c.out.line('');
      c.out.table(
        order.items.flatMap((item) =>
          item.deliveries.map((d) => ({
            item: item.productName,
            subject: d.subject,
            status: d.status,
            reason: d.statusReason,
          })),
        ),
      );
    });
}

/** The fields of `value` that print on one line (not its lists or nested objects). */
function scalars(value: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v === null || v instanceof Date || typeof v !== 'object'),
  );
}
