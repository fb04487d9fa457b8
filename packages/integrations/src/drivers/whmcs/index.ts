import { WHMCS_DRIVER } from '@handover/contracts/drivers/whmcs';
import type { DriverDefinition } from '@handover/core';
import type { z } from 'zod';
import { createWhmcsAdapter } from './adapter';
import { whmcsBillingSystem } from './billingSystem';
import { type whmcsConfigSchema, whmcsEnvSchema } from './env';
import { WhmcsClient } from './whmcsClient';

export * from './adapter';
export * from './billingSystem';
export * from './env';
export * from './paymentMethodsOnFile';
export * from './whmcsClient';

/** Seed 004's billed services: orders in WHMCS (AddOrder, AcceptOrder) for the customer's WHMCS client. */
export const whmcsDriver: DriverDefinition<z.output<typeof whmcsConfigSchema>> = {
  driver: WHMCS_DRIVER,
  env: whmcsEnvSchema,
  create: (config) => {
    const client = new WhmcsClient(config);
    return createWhmcsAdapter(client, whmcsBillingSystem(client));
  },
};
