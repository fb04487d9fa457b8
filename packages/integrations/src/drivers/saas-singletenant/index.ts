import { SAAS_SINGLETENANT_DRIVER } from '@handover/contracts/drivers/saas-singletenant';
import type { DriverDefinition } from '@handover/core';
import { createSaasSingletenantAdapter } from './adapter';
import { type InstanceProvisioningEnv, instanceProvisioningEnvSchema } from './env';
import { InstanceProvisioningClient } from './instanceProvisioningClient';

export * from './adapter';
export * from './env';
export * from './instanceProvisioningClient';

/** Dedicated instances (seed 003 §3.1 `saas_singletenant`), through the instance-provisioning API. */
export const saasSingletenantDriver: DriverDefinition<InstanceProvisioningEnv> = {
  driver: SAAS_SINGLETENANT_DRIVER,
  env: instanceProvisioningEnvSchema,
  create: (env) => createSaasSingletenantAdapter(new InstanceProvisioningClient(env)),
};
