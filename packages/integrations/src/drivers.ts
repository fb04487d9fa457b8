import { type AnyFulfillmentAdapter, manualAdapter, type NameserverResolver, parseEnv } from '@handover/core';
import { createNameserverResolver, dnsResolverEnvSchema } from './dns/resolverConfig';
import { createM365DomainAdapter } from './plugsaas/m365DomainAdapter';
import { PlugsaasClient } from './plugsaas/plugsaasClient';
import { plugsaasEnvSchema } from './plugsaas/plugsaasConfig';

/**
 * Every fulfillment driver this deployment runs, with its vendor clients. The server uses the
 * same list as the worker, to validate products and order forms and to create records. Each
 * vendor's settings are read here; a missing or bad one stops the process with its name.
 */
export function buildDrivers(env: Record<string, string | undefined>, app: string): AnyFulfillmentAdapter[] {
  const plugsaas = new PlugsaasClient(parseEnv(app, plugsaasEnvSchema, env));
  return [manualAdapter, createM365DomainAdapter(plugsaas)];
}

/** The DNS cron's resolver (seed 000 phase 5), from DNS_RESOLVER, DNS_DOH_URL, DNS_SERVER and DNS_TIMEOUT_MS. */
export function buildNameserverResolver(env: Record<string, string | undefined>, app: string): NameserverResolver {
  return createNameserverResolver(parseEnv(app, dnsResolverEnvSchema, env));
}
