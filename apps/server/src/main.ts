import { ConfigError, DriverRegistry, systemClock } from '@handover/core';
import { migrate, openOrm } from '@handover/db';
import {
  buildBillingSystem,
  buildBundleResellerAccounts,
  buildDownloadStorage,
  buildDrivers,
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
  await migrate(config.DATABASE_URL);
  const orm = await openOrm({ url: config.DATABASE_URL, poolMax: config.DB_POOL_MAX });
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
    spas: defaultSpaBuilds,
  });
  await app.listen({ host: config.HOST, port: config.PORT });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    await app.close();
    await orm.close();
    clearTimeout(force);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
