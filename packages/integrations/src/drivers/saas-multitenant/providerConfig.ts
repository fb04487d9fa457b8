import { PROVIDER_CONTRACT_PATHS, type SaasMultitenantConfig } from '@handover/contracts/drivers/saas-multitenant';
import { z } from 'zod';

/** The contract's paths (seed 003 §8), relative to the provider's base URL. */
export const CONTRACT_ENDPOINTS = PROVIDER_CONTRACT_PATHS;

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
      resume: endpoint.default(CONTRACT_ENDPOINTS.resume),
      cancel: endpoint.default(CONTRACT_ENDPOINTS.cancel),
      upgrade: endpoint.default(CONTRACT_ENDPOINTS.upgrade),
      status: statusEndpoint.default(CONTRACT_ENDPOINTS.status),
    })
    .prefault({}),
  timeoutMs: z.number().int().positive().default(15_000),
});
export type SaasProviderConfig = z.input<typeof saasProviderConfigSchema>;

/**
 * Seed 003 §5.4: a `multitenant_saas` product's `fulfillment_config` (checked by the driver's
 * contract) as the client's config; `provider` is the product's `external_provider`.
 */
export function providerClientConfig(config: SaasMultitenantConfig, provider: string): SaasProviderConfig {
  return {
    provider,
    baseUrl: config.base_url,
    endpoints: {
      onboard: config.onboard_endpoint,
      suspend: config.suspend_endpoint,
      resume: config.resume_endpoint,
      cancel: config.cancel_endpoint,
      upgrade: config.upgrade_endpoint,
      status: config.status_endpoint,
    },
    timeoutMs: config.timeout_seconds * 1000,
  };
}
