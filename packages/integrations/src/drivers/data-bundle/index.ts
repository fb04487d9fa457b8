import { DATA_BUNDLE_DRIVER } from '@handover/contracts/drivers/data-bundle';
import { type BundleResellerAccount, type DriverDefinition, parseEnv } from '@handover/core';
import { createDataBundleAdapter } from './adapter';
import { AtIshareClient } from './atIshareClient';
import { atIshareEnvSchema } from './env';

export * from './adapter';
export * from './atIshareClient';
export * from './env';

type AtIshareEnv = ReturnType<typeof atIshareEnvSchema.parse>;

/** Mobile data bundles (seed 002): AT-iShare through its reseller's API. */
export const dataBundleDriver: DriverDefinition<AtIshareEnv> = {
  driver: DATA_BUNDLE_DRIVER,
  env: atIshareEnvSchema,
  create: (env) => createDataBundleAdapter({ 'AT-iShare': new AtIshareClient(env) }),
};

/** The resellers' accounts, for the back office's float (the server reads the same AT_ISHARE_* variables). */
export function buildBundleResellerAccounts(
  env: Record<string, string | undefined>,
  app: string,
): BundleResellerAccount[] {
  const atIshare = new AtIshareClient(parseEnv(app, atIshareEnvSchema, env));
  return [{ network: 'AT-iShare', name: 'AT-iShare reseller', balance: () => atIshare.balance() }];
}
