import { ESIM_DRIVER } from '@handover/contracts/drivers/esim';
import type { DriverDefinition } from '@handover/core';
import { createEsimAdapter } from './adapter';
import { type EsimAccessConfig, esimAccessEnvSchema } from './env';
import { EsimAccessClient } from './esimAccessClient';

export * from './adapter';
export * from './env';
export * from './esimAccessClient';
export * from './profileData';

/** Seed 004's eSIM: profiles from eSIM Access, their QR codes shown to the customer, reissue and status sync. */
export const esimDriver: DriverDefinition<EsimAccessConfig> = {
  driver: ESIM_DRIVER,
  env: esimAccessEnvSchema,
  create: (config) => createEsimAdapter(new EsimAccessClient(config)),
};
