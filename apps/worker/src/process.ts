import {
  type AnyFulfillmentAdapter,
  correlationLogFields,
  createMetrics,
  DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
  DriverRegistry,
  isOptedOutOfSms,
  type NameserverResolver,
  observeOrmPool,
  observePgPool,
  redact,
  SecretBox,
  systemClock,
  WebhookTargetGuard,
} from '@handover/core';
import { connectionErrorFields, guardAgainstLostConnections, migrate, openOrm, waitForDatabase } from '@handover/db';
import {
  buildActivationChecks,
  buildBillingSystem,
  buildOperatorSystemSender,
  buildSmsSender,
  createPaymentGateways,
} from '@handover/integrations';
import pino from 'pino';
import { loadWorkerConfig, type WorkerConfig } from './config';
import { cronItems } from './crontab';
import { createSmtpSender } from './email/smtpSender';
import { observeJobs } from './jobMetrics';
import { startOpsServer } from './opsServer';
import { createEnginePool, createNodeId, type RunningWorker, startWorker } from './runner';
import { createSmsOutboxSender } from './sms/smsOutboxSender';
import { buildTaskList } from './tasks';
import { installWorkerVendorGuard } from './vendorGuard';
import { createWebhookSender } from './webhook/webhookSender';

export interface WorkerProcessOptions {
  /** The fulfillment drivers this process runs. */
  drivers: (config: WorkerConfig) => AnyFulfillmentAdapter[];
  /** What the DNS cron looks NS records up with. */
  nameserverResolver: (config: WorkerConfig) => NameserverResolver;
}

/**
 * A whole worker process: config, migrations, the engine and graphile-worker, its health and
 * metrics listener, and a clean stop on signals. It waits for the database at start, and rides
 * out the database going away later (the job queue comes back by itself).
 */
export async function runWorkerProcess(env: Record<string, string | undefined>, options: WorkerProcessOptions) {
  const config = loadWorkerConfig(env);
  const logger = pino({
    level: config.LOG_LEVEL,
    base: { app: 'worker' },
    // Every line logged about a request's work names its correlation id.
    mixin: correlationLogFields,
    // Every logged object passes through the one redaction helper.
    formatters: { log: (object) => redact(object) },
  });
  let worker: RunningWorker | null = null;
  const unguard = guardAgainstLostConnections({
    onLost: (error) => {
      logger.warn(connectionErrorFields(error), 'a database connection was lost where no one was listening');
      worker?.databaseLost(error);
    },
    onFatal: (error) => {
      logger.fatal({ err: error }, 'unexpected error; the worker stops');
      process.exit(1);
    },
  });
  await waitForDatabase(config.DATABASE_URL, {
    onRetry: (error, attempt, delayMs) =>
      logger.warn({ ...connectionErrorFields(error), attempt, delayMs }, 'waiting for the database'),
  });
  await migrate(config.DATABASE_URL);
  const orm = await openOrm({
    url: config.DATABASE_URL,
    poolMax: config.WORKER_CONCURRENCY + 4,
    onConnectionWarning: (message) => logger.debug({ reason: message }, 'a database connection of the ORM ended'),
  });
  const metrics = createMetrics('worker');
  const nodeId = createNodeId();
  const email = createSmtpSender(config.smtp);
  // The engine's hot path (claiming, journalling, completing) runs prepared statements on its own connections.
  const enginePool = createEnginePool(config.DATABASE_URL, config.WORKER_CONCURRENCY + 1, logger);
  observePgPool(metrics, 'engine', enginePool);
  observeOrmPool(metrics, orm.em);
  const uninstallGuard = installWorkerVendorGuard({ config, pool: enginePool, nodeId, logger, metrics });
  // Seed 002's texts: Arkesel, required in production so that no text waits for ever.
  const sms = buildSmsSender(env, 'worker', { required: config.NODE_ENV === 'production' });
  // Seed 004's write-back to the operator system, when one is configured (OPERATOR_SYSTEM_URL).
  const operatorSystem = buildOperatorSystemSender(env, 'worker', orm.em);
  // Seed 004 signup: the customer's WHMCS client, opened when their account is confirmed (WHMCS_API_URL).
  const billing = buildBillingSystem(env, 'worker');
  const engine = {
    em: orm.em,
    pool: enginePool,
    registry: new DriverRegistry(options.drivers(config)),
    clock: systemClock,
    services: { secrets: new SecretBox(config.HANDOVER_ENCRYPTION_KEYS) },
    nodeId,
    leaseMs: config.FULFILLMENT_LEASE_MS,
    portalUrl: config.PORTAL_URL,
    logger,
    compensationRetryDelaysMs: config.COMPENSATION_RETRY_SECONDS.map((seconds) => seconds * 1000),
  };
  const dns = {
    em: orm.em,
    resolver: options.nameserverResolver(config),
    clock: systemClock,
    portalUrl: config.PORTAL_URL,
    alertAfterDays: config.DNS_ALERT_AFTER_DAYS,
    logger,
  };
  const payments = {
    em: orm.em,
    gateways: createPaymentGateways(config.paymentGateways, { clock: systemClock }),
    registry: engine.registry,
    clock: systemClock,
    portalUrl: config.PORTAL_URL,
    logger: logger.child({ component: 'payments' }),
  };
  worker = await startWorker({
    nodeId,
    config,
    orm,
    clock: systemClock,
    logger,
    observe: (events, pool) => {
      observeJobs(metrics, events);
      observePgPool(metrics, 'job_queue', pool);
    },
    taskList: buildTaskList({
      engine,
      dns,
      payments,
      reconcile: { intervalMs: config.RECONCILE_INTERVAL_HOURS * 3_600_000, batchSize: 200 },
      activation: { checks: buildActivationChecks(env, 'worker') },
      subscriptions: { graceDays: config.SUBSCRIPTION_GRACE_DAYS },
      sms,
      billing,
      webhooks: {
        em: orm.em,
        clock: systemClock,
        secrets: engine.services.secrets,
        guard: new WebhookTargetGuard({ allowedNetworks: config.WEBHOOK_ALLOWED_PRIVATE_NETWORKS }),
        retryDelaysMs: DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        portalUrl: config.PORTAL_URL,
        dispatchIntervalMs: config.WEBHOOK_DISPATCH_INTERVAL_MS,
      },
      alerts: config.alerts,
      logger,
      orm,
      clock: systemClock,
      metrics,
      senders: {
        email,
        webhook: createWebhookSender(),
        ...(sms ? { sms: createSmsOutboxSender(sms, (phone) => isOptedOutOfSms(orm.em.fork(), phone)) } : {}),
        ...(operatorSystem ? { operator_system: operatorSystem } : {}),
      },
    }),
    cronItems,
  });
  const running = worker;
  const ops =
    config.METRICS_PORT === undefined
      ? null
      : await startOpsServer({
          host: config.METRICS_HOST,
          port: config.METRICS_PORT,
          token: config.METRICS_TOKEN,
          metrics,
          health: () => running.health(),
        });
  if (ops) logger.info({ port: ops.port }, 'health and metrics listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 30_000).unref();
    await running.stop();
    uninstallGuard();
    await ops?.close();
    email.close();
    await enginePool.end().catch(() => {});
    await orm.close();
    unguard();
    clearTimeout(force);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return { worker: running, ops, stop };
}
