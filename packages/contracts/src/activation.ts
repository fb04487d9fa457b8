import { z } from 'zod';
import type { ActivationStatus, FulfillmentStatus } from './statuses';

// Seed 004 5a: a service is activated at once, or on a date in the customer's (or ops') time
// zone. Dates are kept as instants with their IANA zone beside them; these pure functions turn
// a wall-clock date and time in a zone into an instant and back with Intl, so the server and the
// browser compute the same moment, daylight saving time included.

/** Seed 004 5a: the preflight runs this many days (on the zone's calendar) before activation. */
export const PREFLIGHT_DAYS_BEFORE = 3;

/** Whether `zone` is an IANA time zone this runtime knows (`Europe/London`, `Africa/Accra`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .trim()
  .refine(isTimeZone, 'Choose a time zone such as Europe/London or Africa/Accra');

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A calendar date written YYYY-MM-DD that exists (no 31 April). */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A moment as people choose it: a date, a time of day and the time zone they mean. */
export const activationMomentSchema = z.object({
  date: z.string().trim().refine(isCalendarDate, 'Choose a date (YYYY-MM-DD)'),
  time: z.string().trim().regex(TIME, 'Choose a time such as 09:00').default('09:00'),
  timeZone: timeZoneSchema,
});
export type ActivationMoment = z.output<typeof activationMomentSchema>;

/** How an order's service is activated, as ops choose it at approval (seed 004 5a). */
export const activationChoiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('immediate') }),
  activationMomentSchema.extend({ type: z.literal('scheduled') }),
]);
export type ActivationChoice = z.output<typeof activationChoiceSchema>;

interface WallClock {
  /** YYYY-MM-DD on the zone's calendar. */
  date: string;
  /** HH:mm on the zone's clock. */
  time: string;
  /** The zone's offset from UTC at that moment, `+01:00`. */
  offset: string;
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

function partsOf(instant: Date, zone: string): Record<string, number> {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const out: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) if (part.type !== 'literal') out[part.type] = Number(part.value);
  return out;
}

/** Minutes east of UTC that `zone` is at `instant` (60 in London's summer). */
export function zoneOffsetMinutes(instant: Date, zone: string): number {
  const whole = Math.floor(instant.getTime() / 1000) * 1000;
  const p = partsOf(new Date(whole), zone);
  const asUtc = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return Math.round((asUtc - whole) / 60_000);
}

/** The wall clock of `zone` at `instant`. */
export function wallClockAt(instant: Date, zone: string): WallClock {
  const p = partsOf(instant, zone);
  const offset = zoneOffsetMinutes(instant, zone);
  return {
    date: `${pad(p.year ?? 0, 4)}-${pad(p.month ?? 0)}-${pad(p.day ?? 0)}`,
    time: `${pad(p.hour ?? 0)}:${pad(p.minute ?? 0)}`,
    offset: `${offset < 0 ? '-' : '+'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`,
  };
}

/**
 * The instant at which `zone`'s clocks show `date` `time`. A time that happens twice (clocks go
 * back) is its first occurrence; one that never happens (clocks go forward) is moved forward by
 * the jump, as calendars do (01:30 on the night London springs forward is 02:30 BST).
 */
export function zonedToInstant(date: string, time: string, zone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const day = 86_400_000;
  const before = zoneOffsetMinutes(new Date(wall - day), zone);
  const after = zoneOffsetMinutes(new Date(wall + day), zone);
  const valid = [...new Set([before, after])]
    .map((offset) => wall - offset * 60_000)
    .filter((candidate) => zoneOffsetMinutes(new Date(candidate), zone) * 60_000 === wall - candidate);
  if (valid.length > 0) return new Date(Math.min(...valid));
  return new Date(wall - before * 60_000);
}

/** `instant` moved by `days` on `zone`'s calendar, at the same wall-clock time (not 24-hour days). */
export function addZonedDays(instant: Date, zone: string, days: number): Date {
  const { date, time } = wallClockAt(instant, zone);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(y, m - 1, d + days));
  const shiftedDate = `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
  return zonedToInstant(shiftedDate, time, zone);
}

/** When the preflight of an activation at `activateAt` in `zone` runs: T−3 days, same wall-clock time. */
export const preflightAt = (activateAt: Date, zone: string): Date =>
  addZonedDays(activateAt, zone, -PREFLIGHT_DAYS_BEFORE);

/** The instant a chosen moment stands for. */
export const instantOf = (moment: Pick<ActivationMoment, 'date' | 'time' | 'timeZone'>): Date =>
  zonedToInstant(moment.date, moment.time, moment.timeZone);

/**
 * A moment written for people, with its zone and offset spelled out so nobody guesses:
 * `Tuesday 30 March 2027, 09:00 Europe/London (UTC+01:00)`.
 */
export function describeMoment(instant: Date, zone: string): string {
  // Assembled from parts: ICU versions (Node's, a browser's) punctuate the whole differently.
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const clock = wallClockAt(instant, zone);
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${clock.time} ${zone} (UTC${clock.offset})`;
}

/**
 * Seed 004's activation status from the statuses of the order's records: Not started while they
 * wait for their date, Activating once started, Activated when delivered, Failed when one failed.
 */
export function activationStatusOf(statuses: readonly FulfillmentStatus[]): ActivationStatus {
  const live = statuses.filter((status) => status !== 'cancelled');
  if (live.some((status) => status === 'failed')) return 'failed';
  if (live.length === 0 || live.every((status) => status === 'scheduled')) return 'not_started';
  if (live.every((status) => status === 'completed' || status === 'active' || status === 'suspended')) {
    return 'activated';
  }
  return 'activating';
}
