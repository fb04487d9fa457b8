import { type AnyFulfillmentAdapter, type DriverDefinition, parseEnv } from '@handover/core';
import { dataBundleDriver } from './data-bundle';
import { esimDriver } from './esim';
import { esimTopUpDriver } from './esim-top-up';
import { m365DomainDriver } from './m365-domain';
import { manualDriver } from './manual';
import { privateSmtpDriver } from './private-smtp';
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
  whmcsDriver,
];

/**
 * Builds every driver's adapter with its vendor clients. Each driver's settings are read from
 * `env` with its own schema; a missing or bad one stops the process with its name.
 */
export function buildDrivers(env: Record<string, string | undefined>, app: string): AnyFulfillmentAdapter[] {
  return DRIVERS.map((definition) =>
    definition.create(definition.env ? parseEnv(app, definition.env, env) : undefined),
  );
}
