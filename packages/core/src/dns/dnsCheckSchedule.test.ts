import { describe, expect, it } from 'vitest';
import { nextDnsCheckAt } from './dnsCheckSchedule';

const minutesAfter = (failedChecks: number) => {
  const now = new Date('2026-02-03T02:00:00Z');
  return (nextDnsCheckAt(failedChecks, now).getTime() - now.getTime()) / 60_000;
};

describe('nextDnsCheckAt', () => {
  it('looks again after 5 minutes, then doubles the wait after each miss', () => {
    expect([1, 2, 3, 4, 5].map(minutesAfter)).toEqual([5, 10, 20, 40, 80]);
  });

  it('never waits longer than 6 hours, however long the domain stays unverified', () => {
    expect(minutesAfter(8)).toBe(360);
    expect(minutesAfter(500)).toBe(360);
  });
});
