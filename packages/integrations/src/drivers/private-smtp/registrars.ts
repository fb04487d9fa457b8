import type { PlatformCredentials } from '@handover/contracts/drivers/private-smtp';
import { PermanentError } from '@handover/core';
import type { NamecheapClient } from './namecheapClient';
import type { SpaceshipClient } from './spaceshipClient';

/** The registrars' clients; Namecheap's is absent when no client IP is configured. */
export interface RegistrarClients {
  spaceship: SpaceshipClient;
  namecheap: NamecheapClient | null;
}

/** Seed 001 step 5.3: delegates `domain` to `nameservers` at the customer's registrar, with their credentials. */
export async function setRegistrarNameservers(
  clients: RegistrarClients,
  credentials: PlatformCredentials,
  domain: string,
  nameservers: string[],
): Promise<void> {
  if (credentials.platform === 'spaceship') {
    await clients.spaceship.setNameservers(domain, nameservers, {
      apiKey: credentials.apiKey,
      apiSecret: credentials.apiSecret,
    });
    return;
  }
  if (!clients.namecheap) {
    throw new PermanentError(
      'Namecheap is not configured here (NAMECHEAP_CLIENT_IP is not set)',
      'namecheap_unavailable',
    );
  }
  // Seed 001: the customer's `platform_login` is both ApiUser and UserName.
  await clients.namecheap.setCustomNameservers(domain, nameservers, {
    apiUser: credentials.apiUser,
    apiKey: credentials.apiKey,
  });
}

/** Whether a refusal is the customer's to fix (credentials, allow-list, account): the order goes to `draft`. */
export const CUSTOMER_FIXABLE_CODES = new Set([
  'registrar_auth',
  'ip_not_allowlisted',
  'domain_not_in_account',
  'registrar_rejected',
]);

/** What the customer reads on the order page while it waits for them. */
export function draftReason(code: string, platform: PlatformCredentials['platform'], domain: string): string {
  const registrar = platform === 'namecheap' ? 'Namecheap' : 'Spaceship';
  const why: Record<string, string> = {
    ip_not_allowlisted: `our IP address is not on your ${registrar} API allow-list`,
    registrar_auth: `${registrar} did not accept your API credentials`,
    domain_not_in_account: `${domain} is not in the ${registrar} account of these credentials`,
    credentials_missing: `we no longer hold your ${registrar} credentials`,
  };
  return `We could not set the nameservers of ${domain} at ${registrar}: ${why[code] ?? `${registrar} refused the change`}. Fix it, then resubmit the order.`;
}
