import { type AnyFulfillmentAdapter, type DriverDefinition, parseEnv } from '@handover/core';
import { dataBundleDriver } from './data-bundle';
import { downloadDriver } from './download';
import { esimDriver } from './esim';
import { esimTopUpDriver } from './esim-top-up';
import { hybridDriver } from './hybrid';
import { licenseDriver } from './license';
import { m365DomainDriver } from './m365-domain';
import { manualDriver } from './manual';
import { privateSmtpDriver } from './private-smtp';
import { saasMultitenantDriver } from './saas-multitenant';
import { saasSingletenantDriver } from './saas-singletenant';
import { whmcsDriver } from './whmcs';

/**
 * Every fulfillment driver this deployment runs: one line per driver, each a folder beside this
 * file. The server and the worker build the same list, to check products and order forms, to
 * create records and to run them.
 */
// biome-ignore lint/suspicious/noExplicitAny: each driver reads an environment of its own shape.
export const DRIVERS: readonly DriverDefinition<any>[] = [
  manualDriver,
  m365DomainDriver,
  dataBundleDriver,
  privateSmtpDriver,
  esimDriver,
  esimTopUpDriver,
  saasMultitenantDriver,
  saasSingletenantDriver,
  licenseDriver,
  downloadDriver,
  whmcsDriver,
  // Last: a hybrid product delegates to the drivers above.
  hybridDriver,
];

/**
 * Builds every driver's adapter with its vendor clients. Each driver's settings are read from
 * `env` with its own schema; a missing or bad one stops the process with its name.
 */
export function buildDrivers(env: Record<string, string | undefined>, app: string): AnyFulfillmentAdapter[] {
  const built: AnyFulfillmentAdapter[] = [];
  for (const definition of DRIVERS) {
    built.push(definition.create(definition.env ? parseEnv(app, definition.env, env) : undefined, [...built]));
  }
  return built;
}
