import { FULFILLMENT_STATUSES, PAYMENT_GATEWAYS } from '@handover/contracts';
import { z } from 'zod';
import { raw, type SqlQuery, sql } from './sql';

/** The longest range one report covers: ten years, so a typo in a year is caught, not run. */
export const MAX_REPORT_DAYS = 3660;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date like 2026-11-23')
  .refine(isRealDate, 'not a real date');

function isRealDate(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

/** True when both Node and PostgreSQL know `zone` (both read the IANA database). */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().refine(isTimeZone, 'not an IANA time zone (e.g. Europe/London, UTC)');

/**
 * What every report and download is filtered by: calendar days `from`..`to` (both included) in
 * `timeZone`, and optionally one product, driver or payment gateway (and, for data orders, one
 * network, status or phone number).
 */
export const reportFilterSchema = z
  .object({
    from: isoDate,
    to: isoDate,
    /** Left out: the business's time zone (BUSINESS_TIME_ZONE). */
    timeZone: timeZoneSchema.optional(),
    productId: z.uuid('not a product id').optional(),
    driver: z.string().trim().min(1).max(64).optional(),
    gateway: z.enum(PAYMENT_GATEWAYS).optional(),
    /** Seed 002 phase 6's data orders: one network, one record status, any part of a phone number. */
    network: z.string().trim().min(1).max(100).optional(),
    status: z.enum(FULFILLMENT_STATUSES).optional(),
    phone: z.string().trim().min(1).max(32).optional(),
  })
  // Only once both dates are real: a bad date is reported once, as itself.
  .refine((f) => !bothReal(f) || f.from <= f.to, { message: 'the range ends before it starts', path: ['to'] })
  .refine((f) => !bothReal(f) || daysBetween(f.from, f.to) < MAX_REPORT_DAYS, {
    message: `a report covers at most ${MAX_REPORT_DAYS} days`,
    path: ['to'],
  });

export type ReportFilterInput = z.input<typeof reportFilterSchema>;

/** A checked filter with its time zone settled. */
export type ReportFilter = Omit<z.output<typeof reportFilterSchema>, 'timeZone'> & { timeZone: string };

export function withTimeZone(filter: z.output<typeof reportFilterSchema>, businessTimeZone: string): ReportFilter {
  return { ...filter, timeZone: filter.timeZone ?? businessTimeZone };
}

function bothReal(f: { from: string; to: string }): boolean {
  return isRealDate(f.from) && isRealDate(f.to);
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/**
 * `column` within the filter's days, as the time zone's clock sees them: midnight of `from` to
 * midnight after `to`. The bounds are constants, so an index on `column` serves the range.
 */
export function inRange(column: string, filter: ReportFilter): SqlQuery {
  const zone = filter.timeZone;
  return sql`${raw(column)} >= (${filter.from}::date)::timestamp at time zone ${zone}
    and ${raw(column)} < (${filter.to}::date + 1)::timestamp at time zone ${zone}`;
}

/** The calendar day of `column` in the filter's time zone, as `YYYY-MM-DD`. */
export function localDay(column: string, filter: ReportFilter): SqlQuery {
  return sql`to_char(${raw(column)} at time zone ${filter.timeZone}, 'YYYY-MM-DD')`;
}

/** The wall-clock time of `column` in the filter's time zone, as `YYYY-MM-DD HH24:MI:SS`. */
export function localTime(column: string, filter: ReportFilter): SqlQuery {
  return sql`to_char(${raw(column)} at time zone ${filter.timeZone}, 'YYYY-MM-DD HH24:MI:SS')`;
}
