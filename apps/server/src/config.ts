import { isIP } from 'node:net';
import {
  type AccountSettings,
  type CheckoutSettings,
  DEFAULT_LOGIN_THROTTLE,
  type DownloadLinkSettings,
  envBoolean,
  envDatabaseUrl,
  envEncryptionKeys,
  envLogLevel,
  envNetworks,
  envNodeEnv,
  linkSigningKeys,
  parseEnv,
  passwordCostFromLog2,
  timeZoneSchema,
} from '@handover/core';
import { type PaymentGatewaysEnv, paymentGatewaysEnvSchema } from '@handover/integrations';
import { z } from 'zod';
import { envIpAllowList } from './operatorApi/ipAllowList';

/** `PROVISION_API_SECRETS`: shared secrets for signed operator calls, comma-separated; two while rotating. */
const envSharedSecrets = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((secret) => secret.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().min(32, 'each secret needs at least 32 characters')).max(2, 'at most two secrets'));

/** A proxy's address or network: `10.0.0.5`, `10.0.0.0/8`, `fd00::/8`, or `loopback`, `linklocal`, `uniquelocal`. */
function isProxyEntry(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/**
 * `TRUSTED_PROXIES`: the reverse proxies in front of the server, comma-separated. Only a request
 * arriving from one of them has its X-Forwarded-For (the client's IP), X-Forwarded-Proto and
 * X-Forwarded-Host believed; from anywhere else they are ignored. None by default.
 */
const envTrustedProxies = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.string().refine(isProxyEntry, {
        error: (issue) => `"${String(issue.input)}" is not an IP address or CIDR range (e.g. 10.0.0.0/8)`,
      }),
    ),
  );

const schema = z.object({
  NODE_ENV: envNodeEnv,
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: envDatabaseUrl,
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Where the server is reached. */
  PUBLIC_URL: z.url().optional(),
  /** The customer portal, for links in emails and CORS; defaults to PUBLIC_URL, which serves it. */
  PORTAL_URL: z.url().optional(),
  /** The back office, for CORS; defaults to PUBLIC_URL/admin/. */
  ADMIN_URL: z.url().optional(),
  LOG_LEVEL: envLogLevel,
  /** A log line for every request; off by default in development, where only failed requests get one. */
  LOG_REQUESTS: envBoolean.optional(),
  HANDOVER_ENCRYPTION_KEYS: envEncryptionKeys,
  /** scrypt cost as a power of two (17 is OWASP's minimum); tests lower it to run fast. */
  PASSWORD_HASH_COST_LOG2: z.coerce.number().int().min(10).max(20).default(17),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  /** Password hashes (scrypt) run at once; more wait, sign-ins first. */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
  /** How long a sign-up's confirmation link works. */
  EMAIL_VERIFICATION_TTL_HOURS: z.coerce.number().int().min(1).max(168).default(24),
  TRUSTED_PROXIES: envTrustedProxies.default([]),
  /** Copied on welcome emails. */
  SUPPORT_EMAIL: z.email().optional(),
  PROVISION_API_SECRETS: envSharedSecrets.optional(),
  /** Seed 004: the operator system's addresses allowed to call /provision (IPs and CIDR ranges); unset: any. */
  PROVISION_ALLOWED_IPS: envIpAllowList,
  /** How long an unpaid checkout stays open when its gateway does not say. */
  CHECKOUT_TTL_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
  /** The business's IANA time zone: reports' days start at its midnight unless the user picks another. */
  BUSINESS_TIME_ZONE: timeZoneSchema.default('UTC'),
  /** Calls one API token may make per minute, on average, across every server process. */
  API_TOKEN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Calls one API token may make at once after a quiet spell. */
  API_TOKEN_BURST: z.coerce.number().int().min(1).max(100_000).default(60),
  /**
   * Non-public networks (CIDRs) that outbound webhook endpoints may point at; none by default.
   * Development and tests list the loopback range to reach a receiver on the same machine.
   */
  WEBHOOK_ALLOWED_PRIVATE_NETWORKS: envNetworks.default([]),
  /** Serves POST /durable-probe, one committed row per request, for `pnpm bench:webhooks`; off in real use. */
  DURABLE_PROBE: envBoolean.default(false),
  /** Signs the download links customers are given (seed 003); unset, downloads answer 503. */
  DOWNLOAD_LINK_SECRET: z.string().min(32, 'needs at least 32 characters').optional(),
  /** A listener of its own for `/metrics` (Prometheus), apart from the public port; unset, none. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** With it, `/metrics` answers on the public port too, and on either only to `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16).optional(),
});

export type ServerConfig = z.output<typeof schema> & {
  /** Each payment gateway's credentials and URLs; a gateway is on when its variables are set. */
  paymentGateways: PaymentGatewaysEnv;
  checkout: CheckoutSettings;
  /** Every request logged (production), or one line per failed request only (development). */
  logRequests: boolean;
  publicUrl: string;
  portalUrl: string;
  adminUrl: string;
  /** Origins allowed to call the API from a browser (CORS and the CSRF check). */
  allowedOrigins: string[];
  /** Session cookies are Secure everywhere but development and tests, which run on plain http. */
  secureCookies: boolean;
  accounts: AccountSettings;
  /** How download links are signed and where they point; null when DOWNLOAD_LINK_SECRET is unset. */
  downloadLinks: DownloadLinkSettings | null;
};

export function loadServerConfig(env: Record<string, string | undefined>): ServerConfig {
  // One parse, so every bad variable of either schema is named at once.
  const parsed = parseEnv('server', schema.and(paymentGatewaysEnvSchema), env);
  const publicUrl = parsed.PUBLIC_URL ?? `http://localhost:${parsed.PORT}`;
  const portalUrl = parsed.PORTAL_URL ?? publicUrl;
  const adminUrl = parsed.ADMIN_URL ?? new URL('/admin/', publicUrl).toString();
  return {
    ...parsed,
    logRequests: parsed.LOG_REQUESTS ?? parsed.NODE_ENV !== 'development',
    publicUrl,
    portalUrl,
    adminUrl,
    allowedOrigins: [...new Set([publicUrl, portalUrl, adminUrl].map((url) => new URL(url).origin))],
    secureCookies: parsed.NODE_ENV === 'production',
    paymentGateways: parsed,
    checkout: { portalUrl, pendingOrderTtlMs: parsed.CHECKOUT_TTL_MINUTES * 60_000 },
    downloadLinks: parsed.DOWNLOAD_LINK_SECRET ? { secret: parsed.DOWNLOAD_LINK_SECRET, publicUrl } : null,
    accounts: {
      passwordHashCost: passwordCostFromLog2(parsed.PASSWORD_HASH_COST_LOG2),
      sessionTtlMs: parsed.SESSION_TTL_HOURS * 3_600_000,
      resetTokenTtlMs: parsed.PASSWORD_RESET_TTL_MINUTES * 60_000,
      verifyTokenTtlMs: parsed.EMAIL_VERIFICATION_TTL_HOURS * 3_600_000,
      linkKeys: linkSigningKeys(parsed.HANDOVER_ENCRYPTION_KEYS),
      portalUrl,
      adminUrl,
      supportEmail: parsed.SUPPORT_EMAIL ?? null,
      loginThrottle: DEFAULT_LOGIN_THROTTLE,
    },
  };
}
