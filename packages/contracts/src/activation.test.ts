import { describe, expect, it } from 'vitest';
import {
  activationChoiceSchema,
  activationStatusOf,
  addZonedDays,
  describeMoment,
  isTimeZone,
  preflightAt,
  wallClockAt,
  zonedToInstant,
} from './activation';

const hours = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 3_600_000;

describe('activation moments in an explicit time zone', () => {
  it('reads a wall-clock time in London as GMT in winter and BST in summer', () => {
    expect(zonedToInstant('2027-01-15', '09:00', 'Europe/London').toISOString()).toBe('2027-01-15T09:00:00.000Z');
    expect(zonedToInstant('2027-07-15', '09:00', 'Europe/London').toISOString()).toBe('2027-07-15T08:00:00.000Z');
    expect(zonedToInstant('2027-07-15', '09:00', 'Africa/Accra').toISOString()).toBe('2027-07-15T09:00:00.000Z');
    expect(zonedToInstant('2027-07-15', '09:00', 'Asia/Tokyo').toISOString()).toBe('2027-07-15T00:00:00.000Z');
  });

  it('runs the preflight three calendar days before at the same wall-clock time, across the spring DST change', () => {
    // London springs forward on Sunday 28 March 2027: activation Tuesday 30 March 09:00 BST.
    const activateAt = zonedToInstant('2027-03-30', '09:00', 'Europe/London');
    const preflight = preflightAt(activateAt, 'Europe/London');
    expect(activateAt.toISOString()).toBe('2027-03-30T08:00:00.000Z');
    expect(preflight.toISOString()).toBe('2027-03-27T09:00:00.000Z');
    expect(wallClockAt(preflight, 'Europe/London')).toEqual({ date: '2027-03-27', time: '09:00', offset: '+00:00' });
    // Three days on the calendar is 71 hours of real time that week.
    expect(hours(preflight, activateAt)).toBe(71);
  });

  it('is 73 hours before across the autumn change, and 72 in a zone without DST', () => {
    const autumn = zonedToInstant('2027-11-02', '09:00', 'Europe/London');
    expect(hours(preflightAt(autumn, 'Europe/London'), autumn)).toBe(73);
    const newYork = zonedToInstant('2027-03-16', '08:30', 'America/New_York');
    expect(hours(preflightAt(newYork, 'America/New_York'), newYork)).toBe(71);
    const accra = zonedToInstant('2027-03-30', '09:00', 'Africa/Accra');
    expect(hours(preflightAt(accra, 'Africa/Accra'), accra)).toBe(72);
  });

  it('moves a time skipped by the clocks forward, and takes the first of a time that happens twice', () => {
    // 01:30 does not exist in London on 28 March 2027: it is 02:30 BST, 01:30 UTC.
    expect(zonedToInstant('2027-03-28', '01:30', 'Europe/London').toISOString()).toBe('2027-03-28T01:30:00.000Z');
    // 01:30 happens twice on 31 October 2027: first in BST (00:30 UTC).
    expect(zonedToInstant('2027-10-31', '01:30', 'Europe/London').toISOString()).toBe('2027-10-31T00:30:00.000Z');
    expect(addZonedDays(new Date('2027-10-30T00:30:00Z'), 'Europe/London', 1).toISOString()).toBe(
      '2027-10-31T00:30:00.000Z',
    );
  });

  it('writes a moment with its zone and offset spelled out', () => {
    const at = zonedToInstant('2027-03-30', '09:00', 'Europe/London');
    expect(describeMoment(at, 'Europe/London')).toBe('Tuesday 30 March 2027, 09:00 Europe/London (UTC+01:00)');
    expect(describeMoment(at, 'America/New_York')).toBe('Tuesday 30 March 2027, 04:00 America/New_York (UTC-04:00)');
  });

  it('refuses unknown zones and impossible dates with messages for people', () => {
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    const bad = activationChoiceSchema.safeParse({ type: 'scheduled', date: '2027-02-30', timeZone: 'Mars/Olympus' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => issue.message)).toEqual([
      'Choose a date (YYYY-MM-DD)',
      'Choose a time zone such as Europe/London or Africa/Accra',
    ]);
    expect(activationChoiceSchema.parse({ type: 'scheduled', date: '2027-03-30', timeZone: 'UTC' })).toEqual({
      type: 'scheduled',
      date: '2027-03-30',
      time: '09:00',
      timeZone: 'UTC',
    });
  });
});

describe('activationStatusOf', () => {
  it('follows Not started → Activating → Activated / Failed from the records', () => {
    expect(activationStatusOf(['scheduled'])).toBe('not_started');
    expect(activationStatusOf(['queued'])).toBe('activating');
    expect(activationStatusOf(['processing'])).toBe('activating');
    expect(activationStatusOf(['awaiting_provider'])).toBe('activating');
    expect(activationStatusOf(['completed'])).toBe('activated');
    expect(activationStatusOf(['active', 'cancelled'])).toBe('activated');
    expect(activationStatusOf(['failed'])).toBe('failed');
    expect(activationStatusOf([])).toBe('not_started');
  });
});
