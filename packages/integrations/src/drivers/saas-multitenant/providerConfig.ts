import { z } from 'zod';

/** The contract's paths (seed 003 §8), relative to the provider's base URL. */
export const CONTRACT_ENDPOINTS = {
  onboard: '/api/marketplace/onboard',
  suspend: '/api/marketplace/suspend',
  cancel: '/api/marketplace/cancel',
  upgrade: '/api/marketplace/upgrade',
  status: '/api/marketplace/status/{external_reference}',
} as const;

const endpoint = z.string().regex(/^\/[^\s]*$/, 'must be a path starting with /');
const statusEndpoint = endpoint.refine(
  (path) => path.includes('{external_reference}'),
  'must contain {external_reference}',
);

export const saasProviderConfigSchema = z.object({
  /** Names the provider in logs and errors (seed 003 §5.1 `external_provider`). */
  provider: z.string().min(1).default('saas-provider'),
  /** Where the provider's contract lives, e.g. the sandbox's `http://localhost:4010/saas/point-of-sale`. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  endpoints: z
    .object({
      onboard: endpoint.default(CONTRACT_ENDPOINTS.onboard),
      suspend: endpoint.default(CONTRACT_ENDPOINTS.suspend),
      cancel: endpoint.default(CONTRACT_ENDPOINTS.cancel),
      upgrade: endpoint.default(CONTRACT_ENDPOINTS.upgrade),
      status: statusEndpoint.default(CONTRACT_ENDPOINTS.status),
    })
    .prefault({}),
  timeoutMs: z.number().int().positive().default(15_000),
});
export type SaasProviderConfig = z.input<typeof saasProviderConfigSchema>;

/**
 * Seed 003 §5.4: a `multitenant_saas` product's `fulfillment_config`, read into the client's
 * config and the key-ring reference of the secret that signs its calls. Only `hmac` is taken:
 * the contract signs every call so that the provider can check the body and refuse replays.
 */
export const multitenantFulfillmentConfigSchema = z
  .object({
    base_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    onboard_endpoint: endpoint.optional(),
    status_endpoint: statusEndpoint.optional(),
    suspend_endpoint: endpoint.optional(),
    cancel_endpoint: endpoint.optional(),
    upgrade_endpoint: endpoint.optional(),
    auth_mode: z.literal('hmac', 'must be "hmac": the provider contract signs every call').default('hmac'),
    credentials_ref: z.string().min(1, 'must name the secret in the key ring'),
    timeout_seconds: z.number().int().min(1).max(120).default(15),
    external_provider: z.string().min(1).optional(),
  })
  .transform((config) => ({
    credentialsRef: config.credentials_ref,
    client: saasProviderConfigSchema.parse({
      provider: config.external_provider,
      baseUrl: config.base_url,
      endpoints: {
        onboard: config.onboard_endpoint,
        suspend: config.suspend_endpoint,
        cancel: config.cancel_endpoint,
        upgrade: config.upgrade_endpoint,
        status: config.status_endpoint,
      },
      timeoutMs: config.timeout_seconds * 1000,
    }),
  }));
