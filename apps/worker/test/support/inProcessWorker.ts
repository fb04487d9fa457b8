import { randomBytes } from 'node:crypto';
import {
  type AnyFulfillmentAdapter,
  type BillingSystem,
  type Clock,
  DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
  DriverRegistry,
  isOptedOutOfSms,
  type NameserverResolver,
  type PaymentGateways,
  SecretBox,
  systemClock,
  WebhookTargetGuard,
} from '@handover/core';
import type { Orm } from '@handover/db';
import { buildNameserverResolver, type SmsSender } from '@handover/integrations';
import pino from 'pino';
import { loadWorkerConfig } from '../../src/config';
import { createEnginePool, createNodeId, type RunningWorker, startWorker } from '../../src/runner';
import { createSmsOutboxSender } from '../../src/sms/smsOutboxSender';
import { buildTaskList, type TaskDeps } from '../../src/tasks';

export const testKeys = `k1=${randomBytes(32).toString('base64')}`;

export interface InProcessWorker extends RunningWorker {
  registry: DriverRegistry;
  secrets: SecretBox;
  /** What the tasks run with, for tests that call the same services directly (with their own clock). */
  deps: TaskDeps;
}

export interface InProcessWorkerOptions {
  env?: Record<string, string>;
  /** The DNS cron's resolver; by default the one the DNS_* variables in `env` describe. */
  resolver?: NameserverResolver;
  clock?: Clock;
  /** The payment gateways the money tasks reach (none by default). */
  gateways?: PaymentGateways;
  /** Shorter waits between looks at a payment event that arrived early. */
  deferredRetryDelaysMs?: number[];
  /** Texts go out through this (the sandbox's Arkesel); without it they stay in the outbox. */
  sms?: SmsSender;
  /** Waits between a webhook delivery's attempts (the real schedule spans three days). */
  webhookRetryDelaysMs?: number[];
  /** Outbox senders besides SMS (seed 004: the operator system's write-back). */
  senders?: TaskDeps['senders'];
  /** Seed 004 5a: the preflight checks (a payment method on file), and when to look again at what was missing. */
  activation?: TaskDeps['activation'];
  /** Seed 004's billing system, where sign-up opens the customer's client (none by default). */
  billing?: BillingSystem | null;
}

/** A real graphile-worker runner with the engine's tasks, inside the test process. No crontab: tests enqueue jobs. */
export async function startInProcessWorker(
  db: { url: string; orm: Orm },
  drivers: AnyFulfillmentAdapter[],
  options: InProcessWorkerOptions = {},
): Promise<InProcessWorker> {
  const env = {
    DATABASE_URL: db.url,
    HANDOVER_ENCRYPTION_KEYS: testKeys,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    WORKER_POLL_INTERVAL_MS: '100',
    WORKER_CONCURRENCY: '4',
    ...options.env,
  };
  const config = loadWorkerConfig(env);
  const clock = options.clock ?? systemClock;
  const logger = pino({ level: config.LOG_LEVEL });
  const registry = new DriverRegistry(drivers);
  const secrets = new SecretBox(config.HANDOVER_ENCRYPTION_KEYS);
  const nodeId = createNodeId();
  const pool = createEnginePool(db.url, config.WORKER_CONCURRENCY + 1, logger);
  const deps: TaskDeps = {
    engine: {
      em: db.orm.em,
      pool,
      registry,
      clock,
      services: { secrets },
      nodeId,
      leaseMs: config.FULFILLMENT_LEASE_MS,
      portalUrl: config.PORTAL_URL,
      logger,
      compensationRetryDelaysMs: config.COMPENSATION_RETRY_SECONDS.map((seconds) => seconds * 1000),
    },
    reconcile: { intervalMs: config.RECONCILE_INTERVAL_HOURS * 3_600_000, batchSize: 200 },
    activation: options.activation ?? { checks: [] },
    subscriptions: { graceDays: config.SUBSCRIPTION_GRACE_DAYS },
    dns: {
      em: db.orm.em,
      resolver: options.resolver ?? buildNameserverResolver(env, 'worker'),
      clock,
      portalUrl: config.PORTAL_URL,
      alertAfterDays: config.DNS_ALERT_AFTER_DAYS,
      logger,
    },
    payments: {
      em: db.orm.em,
      gateways: options.gateways ?? {},
      registry,
      clock,
      logger,
      deferredRetryDelaysMs: options.deferredRetryDelaysMs,
    },
    sms: options.sms ?? null,
    billing: options.billing ?? null,
    webhooks: {
      em: db.orm.em,
      clock,
      secrets,
      guard: new WebhookTargetGuard({ allowedNetworks: config.WEBHOOK_ALLOWED_PRIVATE_NETWORKS }),
      retryDelaysMs: options.webhookRetryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      portalUrl: config.PORTAL_URL,
      dispatchIntervalMs: config.WEBHOOK_DISPATCH_INTERVAL_MS,
    },
    alerts: config.alerts,
    logger,
    orm: db.orm,
    clock,
    // No mail server here: emails stay in the outbox, where the tests read them.
    senders: {
      ...options.senders,
      ...(options.sms
        ? { sms: createSmsOutboxSender(options.sms, (phone) => isOptedOutOfSms(db.orm.em.fork(), phone)) }
        : {}),
    },
  };
  const worker = await startWorker({
    nodeId,
    config,
    orm: db.orm,
    clock,
    logger,
    taskList: buildTaskList(deps),
    cronItems: [],
  });
  return {
    ...worker,
    registry,
    secrets,
    deps,
    stop: async () => {
      await worker.stop();
      await pool.end();
    },
  };
}
