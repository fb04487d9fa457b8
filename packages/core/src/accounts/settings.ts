import type { LinkSigningKeys } from '../security/linkTokens';
import type { PasswordHashCost } from '../security/passwords';

/** How long a throttled email or IP must wait, and how many failures lead there. */
export interface LoginThrottleSettings {
  /** Failures counted over this window. */
  windowMs: number;
  /** Failed sign-ins for one email (since its last success) that lock it. */
  maxFailuresPerEmail: number;
  /** Failed sign-ins from one IP, across all emails, that lock it. */
  maxFailuresPerIp: number;
}

/** The accounts services' settings, built from the server's config. */
export interface AccountSettings {
  passwordHashCost: PasswordHashCost;
  /** Sessions end after this long without a request (each request slides it on). */
  sessionTtlMs: number;
  resetTokenTtlMs: number;
  /** How long a sign-up (email verification) link works. */
  verifyTokenTtlMs: number;
  /** Sign reset and verification links (derived from the encryption keys; the first signs). */
  linkKeys: LinkSigningKeys;
  /** Base URL of the customer portal, for links in emails. */
  portalUrl: string;
  /** The back office, where staff follow their reset links; without it, the portal. */
  adminUrl?: string;
  /** Copied on welcome emails (seed 004: "Welcome (customer, CC support)"). */
  supportEmail: string | null;
  loginThrottle: LoginThrottleSettings;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleSettings = {
  windowMs: 15 * 60_000,
  maxFailuresPerEmail: 5,
  maxFailuresPerIp: 50,
};

/** scrypt's N as a power of two, r = 8, p = 1. */
export function passwordCostFromLog2(log2: number): PasswordHashCost {
  return { N: 2 ** log2, r: 8, p: 1 };
}
