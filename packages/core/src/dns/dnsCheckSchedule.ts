/** The first look again after a lookup that did not find the nameservers (the cron's own period). */
export const FIRST_DNS_RECHECK_MS = 5 * 60_000;
/** Never longer between two looks, so a domain fixed a day later still turns active the same day. */
export const MAX_DNS_RECHECK_MS = 6 * 3_600_000;

/**
 * When to look at a domain again after `failedChecks` lookups that did not find its
 * nameservers: 5 min, 10, 20, 40, ... doubling up to 6 h. Most customers change their
 * nameservers within the hour; a domain left alone for days is asked about four times a day.
 */
export function nextDnsCheckAt(failedChecks: number, now: Date): Date {
  const doublings = Math.max(0, failedChecks - 1);
  const delay = Math.min(FIRST_DNS_RECHECK_MS * 2 ** Math.min(doublings, 20), MAX_DNS_RECHECK_MS);
  return new Date(now.getTime() + delay);
}
