import { createServer } from 'node:http';
import {
  ConfigError,
  createMetrics,
  DriverRegistry,
  metricsAuthorized,
  observeOperationalGauges,
  observeOrmPool,
  systemClock,
} from '@handover/core';
import { connectionErrorFields, guardAgainstLostConnections, migrate, openOrm, waitForDatabase } from '@handover/db';
import {
  buildBillingSystem,
  buildBundleResellerAccounts,
  buildDownloadStorage,
  buildDrivers,
  buildOperatorSystem,
  buildSmsSender,
  createPaymentGateways,
} from '@handover/integrations';
import { buildServer, defaultSpaBuilds } from './app';
import { loadServerConfig } from './config';

async function main(): Promise<void> {
  const config = loadServerConfig(process.env);
  const registry = new DriverRegistry(buildDrivers(process.env, 'server'));
  const sms = buildSmsSender(process.env, 'server');
  const bundleResellers = buildBundleResellerAccounts(process.env, 'server');
  const downloadStorage = buildDownloadStorage(process.env, 'server');
  const billing = buildBillingSystem(process.env, 'server');
  const operatorSystem = buildOperatorSystem(process.env, 'server');
  // A server started before its database waits for it; one running rides out its restarts
  // (each request gets a connection when it can, and /healthz answers 503 meanwhile).
  await waitForDatabase(config.DATABASE_URL, {
    onRetry: (error, attempt, delayMs) =>
      console.warn(
        JSON.stringify({ msg: 'waiting for the database', ...connectionErrorFields(error), attempt, delayMs }),
      ),
  });
  await migrate(config.DATABASE_URL);
  let log: ((details: Record<string, unknown>, message: string) => void) | null = null;
  const orm = await openOrm({
    url: config.DATABASE_URL,
    poolMax: config.DB_POOL_MAX,
    onConnectionWarning: (message) => log?.({ reason: message }, 'a database connection of the ORM ended'),
  });
  const metrics = createMetrics('server');
  observeOrmPool(metrics, orm.em);
  observeOperationalGauges(metrics, orm.em);
  const gateways = createPaymentGateways(config.paymentGateways, { clock: systemClock });
  const app = await buildServer({
    config,
    orm,
    clock: systemClock,
    registry,
    gateways,
    sms,
    bundleResellers,
    downloadStorage,
    billing,
    operatorSystem,
    metrics,
    spas: defaultSpaBuilds,
  });
  log = (details, message) => app.log.debug(details, message);
  const unguard = guardAgainstLostConnections({
    onLost: (error) =>
      app.log.warn(connectionErrorFields(error), 'a database connection was lost where no one was listening'),
    onFatal: (error) => {
      app.log.fatal({ err: error }, 'unexpected error; the server stops');
      process.exit(1);
    },
  });
  await app.listen({ host: config.HOST, port: config.PORT });

  const metricsListener =
    config.METRICS_PORT === undefined
      ? null
      : createServer((request, response) => {
          if ((request.url ?? '').split('?')[0] !== '/metrics') {
            response.writeHead(404).end();
          } else if (!metricsAuthorized(request.headers.authorization, config.METRICS_TOKEN)) {
            response.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
          } else {
            metrics.registry.metrics().then(
              (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
              (error: Error) => response.writeHead(500).end(error.message),
            );
          }
        }).listen(config.METRICS_PORT, config.METRICS_HOST);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    metricsListener?.close();
    await app.close();
    await orm.close();
    unguard();
    clearTimeout(force);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
