import type { UserRole } from '@handover/contracts';
import { z } from 'zod';
import { dataBundleDetailQuery } from './dataBundles';
import type { ReportFilter } from './filter';
import { fulfillmentDetailQuery, providerErrorsQuery } from './fulfillment';
import { refundDetailQuery } from './refunds';
import { revenueByDayQuery, revenueByGatewayQuery, revenueByProductQuery, revenueDetailQuery } from './revenue';
import type { SqlQuery } from './sql';
import { walletDetailQuery } from './wallet';

/**
 * How a column is written: `text` as is; `integer` as a whole number (money in minor units, with
 * its currency in a column of its own); `date` (`YYYY-MM-DD`) and `datetime`
 * (`YYYY-MM-DD HH:MM:SS`) as the report's time zone's wall clock.
 */
export type ColumnType = 'text' | 'integer' | 'date' | 'datetime';

export interface ReportColumn {
  header: string;
  type: ColumnType;
  /** Width in characters, for the workbook. */
  width: number;
}

export interface ReportDownload {
  title: string;
  /** Who may download it; finance and admin when not said. */
  roles?: readonly UserRole[];
  columns: ReportColumn[];
  /** Selects exactly the columns, in order. */
  query(filter: ReportFilter): SqlQuery;
}

const text = (header: string, width = 16): ReportColumn => ({ header, type: 'text', width });
const integer = (header: string, width = 14): ReportColumn => ({ header, type: 'integer', width });
const date = (header: string): ReportColumn => ({ header, type: 'date', width: 12 });
const datetime = (header: string): ReportColumn => ({ header, type: 'datetime', width: 20 });

const moneyColumns = [integer('gross_minor'), integer('refunds_minor'), integer('net_minor')];

/** Every report that can be downloaded, by the name in its URL. */
export const REPORT_DOWNLOADS = {
  revenue: {
    title: 'Revenue detail',
    columns: [
      datetime('occurred_at'),
      date('day'),
      text('type', 8),
      text('order_code'),
      text('gateway', 10),
      text('product', 28),
      text('driver'),
      text('currency', 8),
      ...moneyColumns,
    ],
    query: revenueDetailQuery,
  },
  'revenue-by-day': {
    title: 'Revenue by day',
    columns: [date('day'), text('currency', 8), ...moneyColumns],
    query: (filter) => withNet(revenueByDayQuery(filter), 'day, currency'),
  },
  'revenue-by-gateway': {
    title: 'Revenue by gateway',
    columns: [text('gateway', 10), text('currency', 8), ...moneyColumns],
    query: (filter) => withNet(revenueByGatewayQuery(filter), 'gateway, currency'),
  },
  'revenue-by-product': {
    title: 'Revenue by product',
    columns: [text('product', 28), text('currency', 8), ...moneyColumns],
    query: (filter) => withNet(revenueByProductQuery(filter), 'product, currency'),
  },
  refunds: {
    title: 'Refunds',
    columns: [
      datetime('completed_at'),
      text('order_code'),
      text('gateway', 10),
      text('destination', 10),
      text('currency', 8),
      integer('amount_minor'),
      integer('payment_minor'),
      text('kind', 8),
      text('reason', 30),
    ],
    query: refundDetailQuery,
  },
  fulfillment: {
    title: 'Fulfillment',
    columns: [
      datetime('created_at'),
      text('order_code'),
      text('driver'),
      text('product', 28),
      text('subject', 24),
      text('status', 12),
      datetime('paid_at'),
      datetime('completed_at'),
      integer('seconds_to_fulfil'),
      integer('retries', 8),
      text('last_error', 40),
    ],
    query: fulfillmentDetailQuery,
  },
  'provider-errors': {
    title: 'Provider errors',
    columns: [text('driver'), integer('http_status', 10), text('error', 60), integer('count', 10)],
    query: providerErrorsQuery,
  },
  'data-bundles': {
    title: 'Data orders',
    // Ops watch deliveries (seed 002 phase 6); finance reconciles them.
    roles: ['ops', 'finance', 'admin'],
    columns: [
      datetime('created_at'),
      text('order_code'),
      text('email', 28),
      text('network', 10),
      text('phone_number'),
      text('size', 8),
      text('status', 18),
      integer('failed_attempts', 8),
      text('reference'),
      integer('amount_minor'),
      text('currency', 8),
      datetime('completed_at'),
      integer('seconds_to_fulfil'),
      text('last_error', 40),
    ],
    query: dataBundleDetailQuery,
  },
  wallet: {
    title: 'Wallet',
    columns: [
      datetime('created_at'),
      text('reason', 10),
      text('currency', 8),
      integer('amount_minor'),
      integer('balance_after_minor'),
      text('order_code'),
      text('description', 30),
    ],
    query: walletDetailQuery,
  },
} satisfies Record<string, ReportDownload>;

export type ReportName = keyof typeof REPORT_DOWNLOADS;
export const REPORT_NAMES = Object.keys(REPORT_DOWNLOADS) as [ReportName, ...ReportName[]];
export const reportNameSchema = z.enum(REPORT_NAMES, { error: `the report is one of: ${REPORT_NAMES.join(', ')}` });

/**
 * `select <list> from (query)`, where `list(names)` is given the columns' names in the outer
 * query (`c0`, `c1`, …, by position, whatever `query` called them). For writing a report's rows
 * in a file's format in SQL.
 */
export function selectColumns(columns: ReportColumn[], query: SqlQuery, list: (names: string[]) => string): SqlQuery {
  const names = columns.map((_, i) => `c${i}`);
  return { sql: `select ${list(names)} from (${query.sql}) as r(${names.join(', ')})`, params: query.params };
}

/** A summary's sums with their net, in the columns' order. */
function withNet(query: SqlQuery, keys: string): SqlQuery {
  return { sql: `select ${keys}, gross, refunds, gross - refunds as net from (${query.sql}) s`, params: query.params };
}

/** `revenue_2026-11-01_2026-11-30.csv`: the report and its range, as the file is saved. */
export function downloadFileName(report: ReportName, filter: ReportFilter, format: 'csv' | 'xlsx'): string {
  const range = filter.from === filter.to ? filter.from : `${filter.from}_${filter.to}`;
  return `${report}_${range}.${format}`;
}
