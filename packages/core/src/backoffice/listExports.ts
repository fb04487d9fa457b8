import {
  FULFILLMENT_LOG_KINDS,
  FULFILLMENT_LOG_STATUSES,
  FULFILLMENT_STATUSES,
  INVENTORY_STATUSES,
  ORDER_FULFILLMENT_STATUSES,
  ORDER_STATUSES,
  PAYMENT_GATEWAYS,
  SUBSCRIPTION_STATUSES,
  type UserRole,
} from '@handover/contracts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { ForbiddenError, ValidationError } from '../errors';
import type { ReportColumn } from '../reports/exports';
import type { SqlQuery } from '../reports/sql';
import { activityConditions } from './activity';
import { customerConditions } from './customers';
import { fulfillmentLogConditions } from './fulfillmentLogs';
import { fulfillmentRecordConditions } from './fulfillmentRecords';
import { inventoryItemConditions } from './inventory';
import { orderConditions } from './orders';
import { Conditions, containing } from './sql';

/**
 * The back office's main lists as files and totals: each list's filter (the same fields, checked
 * the same way, as the list's own procedure), the SQL its filter becomes (the list's own
 * conditions function, so the file holds exactly what the list shows, every page of it), the
 * columns of its CSV and who may have them.
 */
interface ListExport {
  title: string;
  roles: readonly UserRole[];
  filter: z.ZodType<Record<string, unknown>>;
  /** The list's table with its alias, as the conditions name it; counted without the joins. */
  table: string;
  alias: string;
  /** The export's joins, after `table`. */
  joins?: string;
  where(filter: Record<string, unknown>): Conditions;
  /**
   * Each column with the SQL selecting it; text columns are made formula-safe by the CSV writer,
   * so a text column must select text (a uuid is cast).
   */
  columns: (ReportColumn & { select: string })[];
  /** Sums worth showing under the list: an amount by currency. */
  sums?: { currency: string; amount: string; refunded?: string };
}

const STAFF: readonly UserRole[] = ['ops', 'finance', 'admin'];
const OPERATORS: readonly UserRole[] = ['ops', 'admin'];

const searchText = z.string().trim().max(200).optional();
const dates = { createdFrom: z.coerce.date().optional(), createdTo: z.coerce.date().optional() };
const driverName = z.string().trim().min(1).max(64).optional();

/** A UTC timestamp as `YYYY-MM-DD HH:MM:SS`, what spreadsheets read as a date and time. */
const utc = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS')`;

const text = (header: string, select: string, width = 16) => ({ header, select, type: 'text' as const, width });
const integer = (header: string, select: string, width = 12) => ({ header, select, type: 'integer' as const, width });
const time = (header: string, select: string) => ({
  header,
  select: utc(select),
  type: 'datetime' as const,
  width: 20,
});

export const LIST_EXPORTS = {
  orders: {
    title: 'Orders',
    roles: STAFF,
    filter: z.object({
      q: searchText,
      status: z.enum(ORDER_STATUSES).optional(),
      fulfillmentStatus: z.enum(ORDER_FULFILLMENT_STATUSES).optional(),
      ...dates,
    }),
    table: 'orders o',
    alias: 'o',
    where: orderConditions,
    columns: [
      time('created_at_utc', 'o.created_at'),
      text('order_code', 'o.order_code'),
      text('email', 'o.email', 28),
      text('phone', 'o.phone'),
      text('status', 'o.status'),
      text('fulfillment_status', 'o.fulfillment_status'),
      text('gateway', 'o.payment_gateway', 10),
      text('currency', 'o.currency', 8),
      integer('amount_minor', 'o.amount_minor'),
      integer('refunded_minor', 'o.refunded_minor'),
      text('test', "case when o.is_test then 'yes' else 'no' end", 6),
      text('order_id', 'o.id::text', 36),
    ],
    sums: { currency: 'o.currency', amount: 'o.amount_minor', refunded: 'o.refunded_minor' },
  },
  'fulfillment-records': {
    title: 'Fulfillment records',
    roles: STAFF,
    filter: z.object({
      driver: driverName,
      status: z.enum(FULFILLMENT_STATUSES).optional(),
      subject: searchText,
      error: searchText,
      orderId: z.uuid().optional(),
      ...dates,
    }),
    table: 'fulfillment_records r',
    alias: 'r',
    joins: 'join orders o on o.id = r.order_id',
    where: fulfillmentRecordConditions,
    columns: [
      time('created_at_utc', 'r.created_at'),
      text('order_code', 'o.order_code'),
      text('driver', 'r.driver'),
      text('subject', 'r.subject', 24),
      text('status', 'r.status'),
      text('status_reason', 'r.status_reason', 24),
      text('current_step', 'r.current_step'),
      integer('attempts', 'r.attempts', 8),
      integer('max_attempts', 'r.max_attempts', 8),
      text('last_error', 'r.last_error', 40),
      time('next_attempt_at_utc', 'r.next_attempt_at'),
      time('updated_at_utc', 'r.updated_at'),
      text('record_id', 'r.id::text', 36),
    ],
  },
  'fulfillment-logs': {
    title: 'Fulfillment logs',
    roles: STAFF,
    filter: z.object({
      driver: driverName,
      network: z.string().trim().min(1).max(100).optional(),
      status: z.enum(FULFILLMENT_LOG_STATUSES).optional(),
      kind: z.enum(FULFILLMENT_LOG_KINDS).optional(),
      phoneNumber: z.string().trim().max(32).optional(),
      subject: searchText,
      error: searchText,
      recordId: z.uuid().optional(),
      orderId: z.uuid().optional(),
      ...dates,
    }),
    table: 'fulfillment_logs l',
    alias: 'l',
    where: fulfillmentLogConditions,
    // No URL or bodies: they are the API-response viewer's, redacted there one row at a time.
    columns: [
      time('created_at_utc', 'l.created_at'),
      text('driver', 'l.driver'),
      text('network', 'l.network', 10),
      text('phone_number', 'l.phone_number'),
      text('subject', 'l.subject', 24),
      text('kind', 'l.kind', 10),
      text('step', 'l.step'),
      text('status', 'l.status', 10),
      integer('attempt', 'l.attempt_number', 8),
      text('method', 'l.method', 8),
      integer('http_status', 'l.http_status', 8),
      integer('duration_ms', 'l.duration_ms', 10),
      text('error_or_change', 'l.error_message', 40),
      text('record_id', 'l.record_id::text', 36),
      text('order_id', 'l.order_id::text', 36),
    ],
  },
  activity: {
    title: 'Activity',
    roles: STAFF,
    filter: z.object({
      action: z.string().trim().max(100).optional(),
      subjectType: z.string().trim().max(64).optional(),
      subjectId: z.string().trim().max(64).optional(),
      actorId: z.uuid().optional(),
      ...dates,
    }),
    table: 'activity_logs a',
    alias: 'a',
    joins: `left join users u on a.actor_type = 'user' and u.id::text = a.actor_id`,
    where: activityConditions,
    // The description, not the properties: those can hold what the activity page redacts.
    columns: [
      time('created_at_utc', 'a.created_at'),
      text('action', 'a.action', 24),
      text('description', 'a.description', 40),
      text('subject_type', 'a.subject_type'),
      text('subject_id', 'a.subject_id', 36),
      text('actor_type', 'a.actor_type', 10),
      text('actor_email', 'u.email', 28),
    ],
  },
  'inventory-items': {
    title: 'Inventory items',
    roles: OPERATORS,
    filter: z.object({
      poolId: z.uuid().optional(),
      status: z.enum(INVENTORY_STATUSES).optional(),
      q: searchText,
    }),
    table: 'inventory_items i',
    alias: 'i',
    joins: 'join inventory_pools p on p.id = i.pool_id',
    where: inventoryItemConditions,
    // Never the password: the export holds what the list shows.
    columns: [
      time('created_at_utc', 'i.created_at'),
      text('pool', 'p.name', 20),
      text('account_email', 'i.email', 28),
      text('status', 'i.status', 12),
      text('customer_email', 'i.customer_email', 28),
      text('domain', 'i.domain', 24),
      time('reserved_at_utc', 'i.reserved_date'),
      time('assigned_at_utc', 'i.assigned_date'),
      time('quarantined_at_utc', 'i.quarantined_at'),
      text('notes', 'i.notes', 30),
      text('item_id', 'i.id::text', 36),
    ],
  },
  subscriptions: {
    title: 'Subscriptions',
    roles: STAFF,
    filter: z.object({
      status: z.enum(SUBSCRIPTION_STATUSES).optional(),
      gateway: z.enum(PAYMENT_GATEWAYS).optional(),
      q: searchText,
    }),
    table: 'subscriptions s',
    alias: 's',
    joins: 'join orders o on o.id = s.order_id',
    where: subscriptionConditions,
    columns: [
      time('created_at_utc', 's.created_at'),
      text('order_code', 'o.order_code'),
      text('customer_email', 'o.email', 28),
      text('gateway', 's.gateway', 10),
      text('gateway_subscription_id', 's.gateway_subscription_id', 24),
      text('status', 's.status', 10),
      time('current_period_end_utc', 's.current_period_end'),
      text('cancel_at_period_end', "case when s.cancel_at_period_end then 'yes' else 'no' end", 8),
      time('last_renewed_at_utc', 's.last_renewed_at'),
      time('grace_ends_at_utc', 's.grace_ends_at'),
      text('last_payment_error', 's.last_payment_error', 30),
      text('subscription_id', 's.id::text', 36),
    ],
  },
  customers: {
    title: 'Customers',
    roles: STAFF,
    filter: z.object({ q: searchText, ...dates }),
    table: 'users u',
    alias: 'u',
    // Each customer's orders counted on orders(user_id): a short index scan per row.
    joins: `left join lateral (select count(*)::int as n, max(created_at) as last_at
                                 from orders where user_id = u.id) uo on true`,
    where: customerConditions,
    // The profile the list shows and its orders; never the password hash, tokens or address.
    columns: [
      time('created_at_utc', 'u.created_at'),
      text('email', 'u.email', 28),
      text('name', 'u.name', 20),
      text('phone', 'u.phone'),
      text('company', 'u.company', 20),
      text('customer_number', 'u.customer_number'),
      time('email_verified_at_utc', 'u.email_verified_at'),
      time('last_login_at_utc', 'u.last_login_at'),
      time('disabled_at_utc', 'u.disabled_at'),
      integer('orders', 'uo.n', 8),
      time('last_order_at_utc', 'uo.last_at'),
      text('customer_id', 'u.id::text', 36),
    ],
  },
} satisfies Record<string, ListExport>;

/** The subscriptions list's filter (listSubscriptionsForStaff's) as SQL over `subscriptions s`. */
function subscriptionConditions(filter: { status?: string; gateway?: string; q?: string }): Conditions {
  const where = new Conditions().when(filter.status, 's.status = ?').when(filter.gateway, 's.gateway = ?');
  const q = filter.q?.trim();
  if (q) {
    const like = containing(q);
    where.add(
      `s.order_id in (select id from orders where order_code ilike ? or email ilike ?
                      union select order_id from subscriptions where gateway_subscription_id ilike ?)`,
      like,
      like,
      like,
    );
  }
  return where;
}

export type ListName = keyof typeof LIST_EXPORTS;
export const LIST_NAMES = Object.keys(LIST_EXPORTS) as [ListName, ...ListName[]];
export const listNameSchema = z.enum(LIST_NAMES, { error: `the list is one of: ${LIST_NAMES.join(', ')}` });

function definition(list: ListName): ListExport {
  return LIST_EXPORTS[list] as ListExport;
}

/** Who may export or count `list`. */
export function listRoles(list: ListName): readonly UserRole[] {
  return definition(list).roles;
}

/** Refuses (403) a role the list is not for. */
export function assertMayExport(list: ListName, role: UserRole): void {
  const roles = listRoles(list);
  if (!roles.includes(role)) {
    throw new ForbiddenError(`The ${definition(list).title.toLowerCase()} list needs the ${roles.join(' or ')} role.`);
  }
}

/** `filter` checked against the list's fields; a field it does not know is refused, not ignored. */
export function parseListFilter(list: ListName, filter: unknown) {
  const schema = definition(list).filter as z.ZodObject;
  return schema.strict().safeParse(filter);
}

/** The filter checked, or refused (400) with what is wrong with each field. */
export function checkListFilter(list: ListName, filter: unknown): Record<string, unknown> {
  const parsed = parseListFilter(list, filter);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.length > 0 ? issue.path.join('.') : 'filter';
    fieldErrors[field] = [...(fieldErrors[field] ?? []), issue.message];
  }
  const message = Object.entries(fieldErrors)
    .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
    .join('; ');
  throw new ValidationError(`That filter is not valid (${message})`, fieldErrors);
}

/** Dates as ISO text: COPY takes no parameters, and its literal writer knows text and numbers. */
const param = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/** The CSV's columns in order. */
export function listExportColumns(list: ListName): ReportColumn[] {
  return definition(list).columns.map(({ header, type, width }) => ({ header, type, width }));
}

/** Every row matching `filter` (already parsed), newest first, as the export's columns. */
export function listExportQuery(list: ListName, filter: Record<string, unknown>): SqlQuery {
  const d = definition(list);
  const where = d.where(filter);
  return {
    sql: `select ${d.columns.map((c) => c.select).join(', ')} from ${d.table} ${d.joins ?? ''} ${where.sql}
           order by ${d.alias}.created_at desc, ${d.alias}.id desc`,
    params: where.params.map(param),
  };
}

/** `orders_2026-12-03.csv`: the list and the day it was taken. */
export function listExportFileName(list: ListName, now: Date): string {
  return `${list}_${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * Counting stops here: above it the list says "more than", so a count over a huge table with a
 * loose filter costs a bounded index scan, never the whole table.
 */
export const LIST_COUNT_CAP = 100_000;

export interface ListTotals {
  /** Rows matching the filter, exact up to the cap. */
  count: number;
  /** True when there are more than `count` (the cap). */
  capped: boolean;
  /** Amounts by currency, where the list has them and the count was exact; else null. */
  sums: { currency: string; count: number; amountMinor: number; refundedMinor: number | null }[] | null;
}

/**
 * How many rows match the list's filter (capped), and its sums by currency where it has them: one
 * scan of at most LIST_COUNT_CAP + 1 rows, grouped by currency when the list has amounts.
 */
export async function listTotals(
  em: EntityManager,
  list: ListName,
  filter: Record<string, unknown>,
): Promise<ListTotals> {
  const d = definition(list);
  const where = d.where(filter);
  const params = where.params.map(param);
  const limit = LIST_COUNT_CAP + 1;
  if (!d.sums) {
    const [counted] = await em.execute<{ n: number }[]>(
      `select count(*)::int as n from (select 1 from ${d.table} ${where.sql} limit ${limit}) t`,
      params,
    );
    const n = counted?.n ?? 0;
    return { count: Math.min(n, LIST_COUNT_CAP), capped: n > LIST_COUNT_CAP, sums: null };
  }
  const rows = await em.execute<{ currency: string; n: number; amount: string; refunded: string | null }[]>(
    `select currency, count(*)::int as n, sum(amount)::text as amount, sum(refunded)::text as refunded
       from (select ${d.sums.currency} as currency, ${d.sums.amount} as amount,
                    ${d.sums.refunded ?? 'null::bigint'} as refunded
               from ${d.table} ${where.sql} limit ${limit}) t
      group by currency order by currency`,
    params,
  );
  const n = rows.reduce((sum, row) => sum + row.n, 0);
  if (n > LIST_COUNT_CAP) return { count: LIST_COUNT_CAP, capped: true, sums: null };
  return {
    count: n,
    capped: false,
    sums: rows.map((row) => ({
      currency: row.currency,
      count: row.n,
      amountMinor: Number(row.amount),
      refundedMinor: row.refunded === null ? null : Number(row.refunded),
    })),
  };
}
