import { M365_DOMAIN_DRIVER } from '@handover/contracts/drivers/m365-domain';
import type { DriverDefinition } from '@handover/core';
import { createM365DomainAdapter } from './adapter';
import { type PlugsaasEnv, plugsaasEnvSchema } from './env';
import { PlugsaasClient } from './plugsaasClient';

export * from './adapter';
export * from './env';
export * from './plugsaasClient';

/** Microsoft 365 mail on the customer's own domain (seed 000), through PlugSaaS. */
export const m365DomainDriver: DriverDefinition<PlugsaasEnv> = {
  driver: M365_DOMAIN_DRIVER,
  env: plugsaasEnvSchema,
  create: (env) => createM365DomainAdapter(new PlugsaasClient(env)),
};
