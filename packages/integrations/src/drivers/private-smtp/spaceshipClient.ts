import { isDomainName, normalizeHostname } from '@handover/contracts';
import { PermanentError } from '@handover/core';
import { z } from 'zod';
import { JsonClient } from '../../http/jsonClient';
import { type SpaceshipConfig, spaceshipConfigSchema } from './env';
import { hasHttpStatus, recode } from './errors';

/** The customer's Spaceship API key and secret (seed 001: from their order, never from settings). */
export interface SpaceshipCredentials {
  apiKey: string;
  apiSecret: string;
}

const hostname = z.string().trim().refine(isDomainName, 'is not a host name').transform(normalizeHostname);
const delegation = z.object({
  domain: hostname,
  nameservers: z.array(hostname).min(1, 'needs at least one nameserver'),
});
/** Spaceship answers with the delegation it saved; an empty answer is taken as what was asked. */
const nameserversResponse = z.union([z.null(), z.object({ hosts: z.array(hostname).nullish() })]);

/**
 * Spaceship's API (docs.spaceship.dev): PUT /v1/domains/{domain}/nameservers with the customer's
 * key and secret in the X-API-Key and X-API-Secret headers, which are never logged. Refusals come
 * out with the codes the driver acts on: `registrar_auth` (401, 403), `domain_not_in_account`
 * (404), `registrar_rejected` (400, 422); 429 is `rate_limited` with Retry-After and 5xx,
 * timeouts and network errors are transient, as JsonClient classifies them.
 */
export class SpaceshipClient {
  private readonly http: JsonClient;

  constructor(config: SpaceshipConfig, options: { fetch?: typeof fetch } = {}) {
    const parsed = spaceshipConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`Spaceship client: ${z.prettifyError(parsed.error)}`);
    this.http = new JsonClient({
      provider: 'spaceship',
      baseUrl: parsed.data.baseUrl,
      timeoutMs: parsed.data.timeoutMs,
      redactKeys: ['apiKey', 'apiSecret'],
      fetch: options.fetch,
    });
  }

  /** Seed 001 step 5.3: delegates the domain to `nameservers` (Mailin.ai's). */
  async setNameservers(
    domain: string,
    nameservers: string[],
    credentials: SpaceshipCredentials,
  ): Promise<{ nameservers: string[] }> {
    const request = delegation.safeParse({ domain, nameservers });
    if (!request.success) {
      throw new PermanentError(`Spaceship delegation: ${z.prettifyError(request.error)}`, 'invalid_request');
    }
    if (!credentials.apiKey.trim() || !credentials.apiSecret.trim()) {
      throw new PermanentError('Spaceship needs the customer’s API key and API secret', 'registrar_auth');
    }
    const hosts = [...new Set(request.data.nameservers)];
    try {
      const saved = await this.http.request({
        method: 'PUT',
        path: `v1/domains/${encodeURIComponent(request.data.domain)}/nameservers`,
        headers: { 'x-api-key': credentials.apiKey, 'x-api-secret': credentials.apiSecret },
        body: { provider: 'custom', hosts },
        response: nameserversResponse,
      });
      return { nameservers: saved?.hosts ?? hosts };
    } catch (error) {
      if (hasHttpStatus(error, 401, 403)) throw recode(error, 'registrar_auth');
      if (hasHttpStatus(error, 404)) throw recode(error, 'domain_not_in_account');
      if (hasHttpStatus(error, 400, 422)) throw recode(error, 'registrar_rejected');
      throw error;
    }
  }
}
