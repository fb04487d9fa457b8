import { randomBytes } from 'node:crypto';
import { OutboxMessage } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountContext, AccountSettings, SignedInSession } from '../src';
import { DEFAULT_LOGIN_THROTTLE, linkSigningKeys, passwordCostFromLog2, signUp, verifyEmail } from '../src';

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
  verifyTokenTtlMs: 24 * 60 * 60_000,
  linkKeys: linkSigningKeys([{ id: 'k1', key: randomBytes(32) }]),
  portalUrl: 'http://portal.test',
  supportEmail: 'support@handover.test',
  loginThrottle: DEFAULT_LOGIN_THROTTLE,
};

export function accountContext(clock: AccountContext['clock'], ip = '203.0.113.7'): AccountContext {
  return { settings: testSettings, clock, origin: { ip, userAgent: 'vitest' } };
}

/** The token of the newest email with this template to `recipient` (the link's `token` parameter). */
export async function linkToken(em: EntityManager, recipient: string, template: string): Promise<string> {
  const [mail] = await em.find(OutboxMessage, { recipient, template }, { orderBy: { createdAt: 'desc' }, limit: 1 });
  const token = /[?&]token=([^\s&]+)/.exec(mail?.body ?? '')?.[1];
  if (!token) throw new Error(`no ${template} email with a link to ${recipient}`);
  return decodeURIComponent(token);
}

/** Signs up, opens the emailed link and chooses the password there: a confirmed, signed-in account. */
export async function signUpConfirmed(
  em: () => EntityManager,
  input: { email: string; password: string; name?: string; phone?: string },
  ctx: AccountContext,
): Promise<SignedInSession> {
  await signUp(em(), { email: input.email }, ctx);
  const token = await linkToken(em(), input.email.trim().toLowerCase(), 'verify_email');
  return verifyEmail(em(), { token, password: input.password, name: input.name, phone: input.phone }, ctx);
}
