import type { AccountContext, AccountSettings } from '../src';
import { DEFAULT_LOGIN_THROTTLE, passwordCostFromLog2 } from '../src';

/** A clock the test moves by hand. */
export function manualClock(start = new Date('2026-03-01T09:00:00Z')) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

export const testSettings: AccountSettings = {
  // Low cost keeps the suite quick; the cost travels in each hash either way.
  passwordHashCost: passwordCostFromLog2(10),
  sessionTtlMs: 60 * 60_000,
  resetTokenTtlMs: 30 * 60_000,
  portalUrl: 'http://portal.test',
  supportEmail: 'support@handover.test',
  loginThrottle: DEFAULT_LOGIN_THROTTLE,
};

export function accountContext(clock: AccountContext['clock'], ip = '203.0.113.7'): AccountContext {
  return { settings: testSettings, clock, origin: { ip, userAgent: 'vitest' } };
}
