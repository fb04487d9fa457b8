import { ESIM_TOP_UP_DRIVER } from '@handover/contracts/drivers/esim-top-up';
import type { DriverDefinition } from '@handover/core';
import { type EsimAccessConfig, esimAccessEnvSchema } from '../esim/env';
import { EsimAccessClient } from '../esim/esimAccessClient';
import { createEsimTopUpAdapter } from './adapter';

export * from './adapter';

/** Seed 004's eSIM top-ups: data add-ons applied to a customer's eSIM at eSIM Access. */
export const esimTopUpDriver: DriverDefinition<EsimAccessConfig> = {
  driver: ESIM_TOP_UP_DRIVER,
  env: esimAccessEnvSchema,
  create: (config) => createEsimTopUpAdapter(new EsimAccessClient(config)),
};
