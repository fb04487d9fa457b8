import { useTestDatabase } from '@handover/db/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fulfillmentByDriver,
  getFinanceReport,
  providerErrors,
  type ReportFilter,
  refundSummary,
  reportFilterSchema,
  revenueByDay,
  revenueByGateway,
  revenueByProduct,
  revenueLines,
  revenueTotals,
  walletSummary,
} from '../src';
import { seedReportFixtures } from './reportFixtures';

const range = (overrides: Partial<ReportFilter> = {}): ReportFilter => ({
  from: '2026-11-10',
  to: '2026-11-13',
  timeZone: 'UTC',
  ...overrides,
});

const money = (currency: string, grossMinor: number, refundsMinor: number) => ({
  currency,
  grossMinor,
  refundsMinor,
  netMinor: grossMinor - refundsMinor,
});

describe('finance reports (hand-counted fixtures in reportFixtures.ts)', () => {
  const db = useTestDatabase();
  const em = () => db.orm.em.fork();
  let ids: { setup: string; bundle: string };

  beforeAll(async () => {
    ids = await seedReportFixtures(em());
  });

  it('totals revenue per currency: payments less succeeded refunds, test orders and top-ups left out', async () => {
    expect(await revenueTotals(em(), range())).toEqual([
      money('EUR', 999, 999),
      money('GHS', 999, 0),
      money('USD', 2300, 600),
    ]);
  });

  it('splits revenue by gateway', async () => {
    expect(await revenueByGateway(em(), range())).toEqual([
      { gateway: 'paypal', ...money('EUR', 999, 999) },
      { gateway: 'stripe', ...money('USD', 2300, 600) },
      { gateway: 'wallet', ...money('GHS', 999, 0) },
    ]);
  });

  it('adds up day, gateway and currency figures from whole movements exactly as their split lines add up', async () => {
    const lines = revenueLines(range());
    const fromLines = await em().execute<
      { day: string; gateway: string; currency: string; gross: string; refunds: string }[]
    >(
      `select to_char(at at time zone 'UTC', 'YYYY-MM-DD') as day, gateway, currency,
              sum(gross_minor)::bigint as gross, sum(refund_minor)::bigint as refunds
         from (${lines.sql}) l group by 1, 2, 3`,
      lines.params,
    );
    const sum = (key: 'day' | 'gateway' | 'currency', value: string, currency: string) => {
      const rows = fromLines.filter((row) => row[key] === value && row.currency === currency);
      const grossMinor = rows.reduce((total, row) => total + Number(row.gross), 0);
      const refundsMinor = rows.reduce((total, row) => total + Number(row.refunds), 0);
      return { currency, grossMinor, refundsMinor, netMinor: grossMinor - refundsMinor };
    };
    expect(fromLines.length).toBeGreaterThan(3);
    for (const row of await revenueTotals(em(), range()))
      expect(row).toEqual(sum('currency', row.currency, row.currency));
    for (const { gateway, ...row } of await revenueByGateway(em(), range()))
      expect(row).toEqual(sum('gateway', gateway, row.currency));
    for (const { day, ...row } of await revenueByDay(em(), range())) expect(row).toEqual(sum('day', day, row.currency));
  });

  it('splits each payment and refund over its items by price, the odd unit to the first item', async () => {
    const rows = await revenueByProduct(em(), range());
    expect(rows).toEqual([
      { productId: ids.bundle, product: 'Data bundle', ...money('GHS', 999, 0) },
      // 1000 of order 1's 2000, refunds 250 of 500; order 6: 200 of 300, refunds 66 of 100.
      { productId: ids.bundle, product: 'Data bundle', ...money('USD', 1200, 316) },
      { productId: ids.setup, product: 'Managed setup', ...money('EUR', 999, 999) },
      // 1000 + 100, refunds 250 + 34 (33.3 and the odd unit).
      { productId: ids.setup, product: 'Managed setup', ...money('USD', 1100, 284) },
    ]);
  });

  it('counts days at the chosen time zone’s midnight', async () => {
    expect(await revenueByDay(em(), range())).toEqual([
      { day: '2026-11-10', ...money('USD', 2000, 0) },
      { day: '2026-11-11', ...money('EUR', 999, 999) },
      { day: '2026-11-12', ...money('GHS', 999, 0) },
      { day: '2026-11-12', ...money('USD', 0, 500) },
      { day: '2026-11-13', ...money('USD', 300, 100) },
    ]);
    expect(await revenueByDay(em(), range({ timeZone: 'America/New_York' }))).toEqual([
      { day: '2026-11-10', ...money('EUR', 999, 0) },
      { day: '2026-11-10', ...money('USD', 2000, 0) },
      { day: '2026-11-11', ...money('EUR', 0, 999) },
      { day: '2026-11-12', ...money('GHS', 999, 0) },
      { day: '2026-11-12', ...money('USD', 0, 500) },
      { day: '2026-11-13', ...money('USD', 300, 100) },
    ]);
  });

  it('narrows by product, driver and gateway', async () => {
    expect(await revenueTotals(em(), range({ productId: ids.setup }))).toEqual([
      money('EUR', 999, 999),
      money('USD', 1100, 284),
    ]);
    expect(await revenueTotals(em(), range({ driver: 'data-bundle' }))).toEqual([
      money('GHS', 999, 0),
      money('USD', 1200, 316),
    ]);
    expect(await revenueTotals(em(), range({ gateway: 'paypal' }))).toEqual([money('EUR', 999, 999)]);
    expect(await revenueTotals(em(), range({ from: '2026-11-14', to: '2026-11-30' }))).toEqual([]);
  });

  it('sums succeeded refunds, partial ones apart', async () => {
    expect(await refundSummary(em(), range())).toEqual([
      { currency: 'EUR', destination: 'gateway', count: 1, partial: 0, amountMinor: 999 },
      { currency: 'USD', destination: 'gateway', count: 2, partial: 2, amountMinor: 600 },
    ]);
  });

  it('reports success rate, time from payment to fulfilled and retries per driver', async () => {
    expect(await fulfillmentByDriver(em(), range())).toEqual([
      {
        driver: 'data-bundle',
        records: 3,
        succeeded: 1,
        failed: 1,
        other: 1,
        successRate: 0.5,
        p50Seconds: 300,
        p90Seconds: 300,
        retries: 3,
        maxRetries: 2,
      },
      {
        driver: 'manual',
        records: 3,
        succeeded: 3,
        failed: 0,
        other: 0,
        successRate: 1,
        p50Seconds: 60,
        // 30, 60, 120: 60 + 0.8 × 60
        p90Seconds: 108,
        retries: 0,
        maxRetries: 0,
      },
    ]);
  });

  it('groups failed provider calls by driver, status and message', async () => {
    expect(await providerErrors(em(), range())).toEqual([
      { driver: 'data-bundle', httpStatus: 503, error: 'AT-iShare unavailable', count: 2 },
      { driver: 'data-bundle', httpStatus: 400, error: 'Invalid phone', count: 1 },
    ]);
  });

  it('reports wallet top-ups and spend', async () => {
    expect(await walletSummary(em(), range())).toEqual([
      { currency: 'GHS', topUps: 1, topUpsMinor: 2000, purchases: 1, spentMinor: 999, refundedMinor: 0 },
    ]);
    expect(await walletSummary(em(), range({ productId: ids.setup }))).toEqual([]);
  });

  it('gives the landing page every report from one filter', async () => {
    const report = await getFinanceReport(em(), range());
    expect(report.revenue.totals).toHaveLength(3);
    expect(report.fulfillment.map((d) => d.driver)).toEqual(['data-bundle', 'manual']);
  });

  it('refuses a range that ends before it starts, a bad date and an unknown time zone', () => {
    const problems = (input: unknown) =>
      reportFilterSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems({ from: '2026-11-10', to: '2026-11-01' })).toEqual(['to: the range ends before it starts']);
    expect(problems({ from: '2026-02-30', to: '2026-11-01' })).toEqual(['from: not a real date']);
    expect(problems({ from: '2026-11-01', to: '2026-11-02', timeZone: 'Mars/Olympus' })).toEqual([
      'timeZone: not an IANA time zone (e.g. Europe/London, UTC)',
    ]);
  });
});
