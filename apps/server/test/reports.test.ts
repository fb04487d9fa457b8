import type { AppRouter } from '@handover/api';
import { REPORT_DOWNLOADS, type ReportFilter, revenueDetailQuery, revenueTotals } from '@handover/core';
import { ActivityLog } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { fillScaleData } from '@handover/scripts/scaleData';
import type { TRPCClient } from '@trpc/client';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, errorOf, manualClock, signedIn, startServer } from './harness';

const END = new Date('2026-11-21T00:00:00Z');
// Ten of the thirty days filled: a few thousand rows, more than one cursor batch.
const filter: ReportFilter = { from: '2026-11-10', to: '2026-11-19', timeZone: 'Africa/Accra' };
const query = (f: ReportFilter) => `from=${f.from}&to=${f.to}&tz=${encodeURIComponent(f.timeZone)}`;

describe('report downloads over HTTP', () => {
  const db = useTestDatabase();
  const clock = manualClock(END);
  let app: FastifyInstance;
  let base: string;
  const cookies: Record<string, string> = {};
  let financeApi: TRPCClient<AppRouter>;
  let customerApi: TRPCClient<AppRouter>;

  beforeAll(async () => {
    await fillScaleData(db.url, { orders: 60_000, logs: 1000, days: 30, end: END });
    const started = await startServer({ orm: db.orm, databaseUrl: db.url, clock });
    app = started.app;
    base = started.base;
    for (const role of ['finance', 'admin', 'ops', 'customer'] as const) {
      await createUser(db.orm, `${role}@example.com`, role);
      const session = await signedIn(base, `${role}@example.com`);
      cookies[role] = [...session.jar].map(([name, value]) => `${name}=${value}`).join('; ');
      if (role === 'finance') financeApi = session.api;
      if (role === 'customer') customerApi = session.api;
    }
  });
  afterAll(() => app?.close());

  const get = (path: string, role?: string) =>
    fetch(`${base}${path}`, { headers: role ? { cookie: cookies[role] ?? '' } : {} });

  /** The report's rows as the database gives them, as text, for comparing with the files. */
  async function expectedRows(f: ReportFilter): Promise<string[][]> {
    const q = revenueDetailQuery(f);
    const rows = await db.orm.em.fork().execute<Record<string, unknown>[]>(q.sql, q.params);
    return rows.map((row) => Object.values(row).map((v) => (v === null ? '' : String(v))));
  }

  it('refuses customers and ops, and asks for a sign-in without a session', async () => {
    expect((await get(`/reports/revenue.csv?${query(filter)}`, 'customer')).status).toBe(403);
    expect((await get(`/reports/revenue.csv?${query(filter)}`, 'ops')).status).toBe(403);
    expect((await get(`/reports/revenue.csv?${query(filter)}`)).status).toBe(401);
    expect((await errorOf(customerApi.reports.overview.query(filter))).code).toBe('FORBIDDEN');
  });

  it('names what is wrong with the query', async () => {
    const bad = await get('/reports/revenue.csv?from=2026-11-10&to=2026-11-01&tz=Mars/Olympus', 'finance');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: string[] }).problems).toEqual([
      'tz: not an IANA time zone (e.g. Europe/London, UTC)',
      'to: the range ends before it starts',
    ]);
    const unknown = await get(`/reports/salaries.csv?${query(filter)}`, 'finance');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/the report is one of: revenue, /);
    const missing = await get('/reports/revenue.xlsx?to=2026-11-01', 'finance');
    expect(((await missing.json()) as { problems: string[] }).problems).toEqual([
      'from: required: the first day, like 2026-11-01',
    ]);
  });

  it('streams the revenue detail as CSV, row for row what the database holds, and logs the download', async () => {
    const response = await get(`/reports/revenue.csv?${query(filter)}`, 'finance');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="revenue_2026-11-10_2026-11-19.csv"',
    );
    const [header, ...rows] = parse(await response.text()) as string[][];
    expect(header).toEqual(REPORT_DOWNLOADS.revenue.columns.map((c) => c.header));
    const expected = await expectedRows(filter);
    expect(expected.length).toBeGreaterThan(5000);
    expect(rows).toEqual(expected);

    // The net column adds up to the report's totals, currency by currency.
    const net = new Map<string, number>();
    for (const row of rows) net.set(String(row[7]), (net.get(String(row[7])) ?? 0) + Number(row[10]));
    const totals = await revenueTotals(db.orm.em.fork(), filter);
    expect(Object.fromEntries(net)).toEqual(Object.fromEntries(totals.map((t) => [t.currency, t.netMinor])));

    const logged = await db.orm.em.fork().find(ActivityLog, { action: 'report.downloaded' });
    expect(logged.map((l) => l.description)).toContain('Downloaded revenue_2026-11-10_2026-11-19.csv');
  });

  it('streams a workbook with typed cells, a frozen header row and the same rows', async () => {
    const response = await get(`/reports/revenue.xlsx?${query(filter)}`, 'admin');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="revenue_2026-11-10_2026-11-19.xlsx"',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('the workbook has no sheet');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).values).toEqual([undefined, ...REPORT_DOWNLOADS.revenue.columns.map((c) => c.header)]);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBeInstanceOf(Date);
    expect(first.getCell(1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(first.getCell(2).value).toBeInstanceOf(Date);
    expect(typeof first.getCell(9).value).toBe('number');

    const asText = (value: ExcelJS.CellValue, type: string) => {
      if (value === null || value === undefined) return '';
      if (value instanceof Date) {
        const iso = value.toISOString();
        return type === 'date' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
      }
      return String(value);
    };
    const columns = REPORT_DOWNLOADS.revenue.columns;
    const rows: string[][] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      rows.push(columns.map((column, i) => asText(row.getCell(i + 1).value, column.type)));
    });
    expect(rows).toEqual(await expectedRows(filter));
  });

  it('gives the landing page the same totals as the downloads', async () => {
    const overview = await financeApi.reports.overview.query(filter);
    expect(overview.revenue.totals).toEqual(await revenueTotals(db.orm.em.fork(), filter));
    expect(overview.fulfillment.length).toBe(4);
  });

  it.each(['csv', 'xlsx'] as const)(
    'cuts the %s download when the database fails part-way, so the client sees a failure',
    async (format) => {
      // The report waits on this lock after the response has begun (status and CSV header sent).
      const lock = await db.orm.em.getConnection().getKnex().transaction();
      try {
        await lock.raw('lock table refunds in access exclusive mode');
        const response = await get(`/reports/revenue.${format}?${query(filter)}`, 'finance');
        expect(response.status).toBe(200);
        const reader = response.body?.getReader();
        if (!reader) throw new Error('no body');
        const first = await reader.read();
        // The CSV header row, or the workbook's first zip entries, come before any row.
        expect(new TextDecoder().decode(first.value)).toMatch(format === 'csv' ? /^occurred_at,day,/ : /^PK/);

        // Its database connection dies mid-download.
        const em = db.orm.em.fork();
        for (let tries = 0; tries < 200; tries++) {
          const ended = await em.execute<{ ok: boolean }[]>(
            `select pg_terminate_backend(pid) as ok from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'
              and query like 'copy (select %'`,
          );
          if (ended.length > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const drained = (async () => {
          for (;;) if ((await reader.read()).done) return 'complete';
        })();
        await expect(drained).rejects.toThrow();
      } finally {
        await lock.rollback();
      }
    },
  );
});
