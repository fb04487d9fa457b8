import { SAAS_MULTITENANT_DRIVER } from '@handover/contracts/drivers/saas-multitenant';
import type { DriverDefinition } from '@handover/core';
import { createSaasMultitenantAdapter } from './adapter';

export * from './adapter';
export * from './providerConfig';
export * from './requestSigner';
export * from './saasProviderClient';

/**
 * Multi-tenant SaaS products (seed 003 §3.1 `saas_multitenant`, §8): each product's provider,
 * its endpoints and the key-ring reference of its secret are in the product's config, so the
 * driver reads nothing from the environment.
 */
export const saasMultitenantDriver: DriverDefinition = {
  driver: SAAS_MULTITENANT_DRIVER,
  create: () => createSaasMultitenantAdapter(),
};
