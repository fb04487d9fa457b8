import {
  type AlertRecipients,
  type AlertThresholds,
  COMPENSATION_RETRY_DELAYS_MS,
  DEFAULT_ALERT_THRESHOLDS,
  envBoolean,
  envDatabaseUrl,
  envEncryptionKeys,
  envLogLevel,
  envNetworks,
  envNodeEnv,
  parseEnv,
  type RateLimit,
} from '@handover/core';
import { type PaymentGatewaysEnv, paymentGatewaysEnvSchema } from '@handover/integrations';
import { z } from 'zod';

const schema = z
  .object({
    NODE_ENV: envNodeEnv,
    DATABASE_URL: envDatabaseUrl,
    LOG_LEVEL: envLogLevel,
    /** Jobs this process runs at once. */
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
    /** How often to look for jobs scheduled in the future, in ms (new jobs arrive by LISTEN at once). */
    WORKER_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
    WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).default(5000),
    /** Jobs the process fetches (and locks) at a time; 1 fetches one per free slot. */
    WORKER_LOCAL_QUEUE_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
    /** Jobs finishing within this many ms are marked done in one statement; -1 marks each on its own. */
    WORKER_COMPLETE_BATCH_MS: z.coerce.number().int().min(-1).max(5000).default(0),
    /** A process silent for this long is taken for crashed and its jobs are freed. */
    WORKER_STALE_AFTER_MS: z.coerce.number().int().min(500).default(30_000),
    HANDOVER_ENCRYPTION_KEYS: envEncryptionKeys,
    /** The customer portal, for links in the messages the worker sends. */
    PORTAL_URL: z.url().default('http://localhost:5173'),
    /** A record's lease; renewed while its step runs, taken over only after a crash. */
    FULFILLMENT_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
    /** Seed 000 phase 5: ops are alerted about a domain still not pointing at its nameservers after this many days. */
    DNS_ALERT_AFTER_DAYS: z.coerce.number().positive().max(365).default(3),
    /** A delivered record is checked against its provider (the driver's syncStatus) at most this often. */
    RECONCILE_INTERVAL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 365)
      .default(24),
    /**
     * Non-public networks (CIDRs) that outbound webhooks may be sent to; none by default.
     * Development and tests list the loopback range to reach a receiver on the same machine.
     */
    WEBHOOK_ALLOWED_PRIVATE_NETWORKS: envNetworks.default([]),
    /** The longest one webhook attempt may take, connection to last byte. */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60_000).default(10_000),
    /** How often new events are looked for while any endpoint is on. */
    WEBHOOK_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
    /** Seed 003: a failed renewal keeps the service running this many days before it is suspended. */
    SUBSCRIPTION_GRACE_DAYS: z.coerce.number().min(0).max(90).default(7),
    /** Outgoing mail server; the defaults are the sandbox's SMTP emulator. */
    SMTP_HOST: z.string().min(1).optional(),
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(2525),
    /** true for implicit TLS (usually port 465); otherwise STARTTLS is used when the server offers it. */
    SMTP_SECURE: envBoolean.default(false),
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASS: z.string().min(1).optional(),
    /** The From of every email, e.g. `Handover <no-reply@example.com>`. */
    SMTP_FROM: z.string().min(3).optional(),
    /** The worker's health and metrics listener (`/healthz`, `/livez`, `/metrics`); unset, none. 0 picks a free port. */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /** With it, `/metrics` answers only `Authorization: Bearer <token>`. */
    METRICS_TOKEN: z.string().min(16).optional(),
    /** Ops' addresses, comma-separated: every alert raised and resolved is emailed to them. */
    OPS_ALERT_EMAILS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((email) => email.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.email('each of OPS_ALERT_EMAILS must be an email address'))),
    /** A chat webhook (Slack's incoming webhook, or any that takes its JSON) every alert is posted to. */
    ALERT_WEBHOOK_URL: z.url().optional(),
    /** The back office, for links in alerts. */
    ADMIN_URL: z.url().optional(),
    /** The alert rules' thresholds (docs/runbook.md). */
    ALERT_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(DEFAULT_ALERT_THRESHOLDS.windowMinutes),
    ALERT_FAILURE_RATE: z.coerce.number().min(0).max(1).default(DEFAULT_ALERT_THRESHOLDS.failureRate),
    ALERT_FAILURE_MIN_RECORDS: z.coerce.number().int().min(1).default(DEFAULT_ALERT_THRESHOLDS.failureMinRecords),
    ALERT_OLDEST_JOB_SECONDS: z.coerce.number().int().min(1).default(DEFAULT_ALERT_THRESHOLDS.oldestJobSeconds),
    ALERT_WEBHOOK_REJECTIONS: z.coerce.number().int().min(1).default(DEFAULT_ALERT_THRESHOLDS.webhookRejections),
    /** Calls per second to each vendor, all worker processes together, unless PROVIDER_RATE_LIMITS says otherwise. */
    PROVIDER_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(20),
    /** Per vendor: `plugsaas=5,mailin=2:4` (calls per second, and optionally how many may go at once after a lull). */
    PROVIDER_RATE_LIMITS: z
      .string()
      .default('')
      .transform((value, ctx) => parseRateLimits(value, ctx)),
    /** A call that would wait longer than this for its turn is not made: its record waits instead. */
    PROVIDER_RATE_LIMIT_MAX_WAIT_MS: z.coerce.number().int().min(0).default(5_000),
    /** Transient failures in a row that open a vendor's circuit breaker (in each worker process). */
    PROVIDER_BREAKER_THRESHOLD: z.coerce.number().int().min(1).default(5),
    /** How long an open breaker pauses a vendor's calls before one probe goes through. */
    PROVIDER_BREAKER_OPEN_MS: z.coerce.number().int().min(100).default(30_000),
    /**
     * Seconds between the background tries of an undo that did not finish (comma-separated);
     * after the last, ops decide. Its inventory stays quarantined meanwhile.
     */
    COMPENSATION_RETRY_SECONDS: z
      .string()
      .default(COMPENSATION_RETRY_DELAYS_MS.map((ms) => ms / 1000).join(','))
      .transform((value) => value.split(',').map((part) => Number(part.trim())))
      .pipe(z.array(z.number().positive('each of COMPENSATION_RETRY_SECONDS must be a positive number')).min(1)),
    /** Where customers reach people: every email's Reply-To and footer (the server's SUPPORT_EMAIL). */
    SUPPORT_EMAIL: z.email().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      for (const name of ['SMTP_HOST', 'SMTP_FROM'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required in production' });
      }
    }
    if (Boolean(env.SMTP_USER) !== Boolean(env.SMTP_PASS)) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_PASS'], message: 'SMTP_USER and SMTP_PASS go together' });
    }
  });

/** `vendor=perSecond[:burst]`, comma-separated; the burst defaults to twice the rate. */
function parseRateLimits(value: string, ctx: z.RefinementCtx): Record<string, RateLimit> {
  const limits: Record<string, RateLimit> = {};
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([a-z0-9_.-]+)=(\d+(?:\.\d+)?)(?::(\d+))?$/i.exec(part);
    if (!match?.[1] || !match[2] || Number(match[2]) <= 0) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not vendor=perSecond[:burst], e.g. plugsaas=5:10` });
      continue;
    }
    const perSecond = Number(match[2]);
    limits[match[1]] = { perSecond, burst: match[3] ? Number(match[3]) : Math.max(1, Math.ceil(perSecond * 2)) };
  }
  return limits;
}

export type WorkerConfig = z.output<typeof schema> & {
  smtp: SmtpSettings;
  /** The payment gateways, for captures, refund retries and deferred events. */
  paymentGateways: PaymentGatewaysEnv;
  alerts: { recipients: AlertRecipients; thresholds: AlertThresholds };
};

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  auth: { user: string; pass: string } | null;
  from: string;
  /** Replies go here, and every email's footer names it; null: the footer says not to reply. */
  supportEmail: string | null;
}

export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  // One parse, so every bad variable of either schema is named at once.
  const parsed = parseEnv('worker', schema.and(paymentGatewaysEnvSchema), env);
  return {
    ...parsed,
    paymentGateways: parsed,
    alerts: {
      recipients: {
        emails: parsed.OPS_ALERT_EMAILS,
        webhookUrl: parsed.ALERT_WEBHOOK_URL ?? null,
        backOfficeUrl: parsed.ADMIN_URL ?? null,
      },
      thresholds: {
        windowMinutes: parsed.ALERT_WINDOW_MINUTES,
        failureRate: parsed.ALERT_FAILURE_RATE,
        failureMinRecords: parsed.ALERT_FAILURE_MIN_RECORDS,
        oldestJobSeconds: parsed.ALERT_OLDEST_JOB_SECONDS,
        webhookRejections: parsed.ALERT_WEBHOOK_REJECTIONS,
      },
    },
    smtp: {
      host: parsed.SMTP_HOST ?? '127.0.0.1',
      port: parsed.SMTP_PORT,
      secure: parsed.SMTP_SECURE,
      auth: parsed.SMTP_USER && parsed.SMTP_PASS ? { user: parsed.SMTP_USER, pass: parsed.SMTP_PASS } : null,
      from: parsed.SMTP_FROM ?? 'Handover <no-reply@handover.localhost>',
      supportEmail: parsed.SUPPORT_EMAIL ?? null,
    },
  };
}
