import { z } from 'zod';

export const instanceProvisioningConfigSchema = z.object({
  /** Where the API's `/v1/...` lives, e.g. the sandbox's `http://localhost:4010/instance-provisioning`. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  apiKey: z.string().min(1, 'is required'),
  timeoutMs: z.number().int().positive().default(15_000),
});
export type InstanceProvisioningConfig = z.input<typeof instanceProvisioningConfigSchema>;

/**
 * The server's and worker's instance-provisioning settings: INSTANCE_PROVISIONING_API_URL,
 * INSTANCE_PROVISIONING_API_KEY, INSTANCE_PROVISIONING_TIMEOUT_MS.
 */
export const instanceProvisioningEnvSchema = z
  .object({
    INSTANCE_PROVISIONING_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    INSTANCE_PROVISIONING_API_KEY: z.string().min(1, 'is required'),
    INSTANCE_PROVISIONING_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  })
  .transform(
    (env): z.output<typeof instanceProvisioningConfigSchema> => ({
      baseUrl: env.INSTANCE_PROVISIONING_API_URL,
      apiKey: env.INSTANCE_PROVISIONING_API_KEY,
      timeoutMs: env.INSTANCE_PROVISIONING_TIMEOUT_MS,
    }),
  );
export type InstanceProvisioningEnv = z.output<typeof instanceProvisioningEnvSchema>;
