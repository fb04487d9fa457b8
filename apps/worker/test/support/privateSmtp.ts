import type { PrivateSmtpOrderLine } from '@handover/contracts/drivers/private-smtp';
import { type SecretBox, savePlatformCredentials } from '@handover/core';
import { Product, type RetryPolicy } from '@handover/db';
import { createPrivateSmtpAdapter, privateSmtpDeps, privateSmtpEnvSchema } from '@handover/integrations';
import type { EntityManager } from '@mikro-orm/postgresql';

/** The sandbox accounts the tests' clients use: Mailin.ai's, and the registrars' catch-all ones. */
export const PRIVATE_SMTP_SANDBOX_ENV = {
  MAILIN_AI_EMAIL: 'automation@mailin.test',
  MAILIN_AI_PASSWORD: 'mailin-test-password-123',
  SPACESHIP_SANDBOX_API_KEY: 'spaceship-test-key',
  SPACESHIP_SANDBOX_API_SECRET: 'spaceship-test-secret-0123456789',
  NAMECHEAP_SANDBOX_API_USER: 'sandboxuser',
  NAMECHEAP_SANDBOX_API_KEY: 'namecheap-test-key-0123456789',
};

/** What the server and worker read for this driver, pointed at the sandbox at `sandboxUrl`. */
export function privateSmtpEnv(sandboxUrl: string): Record<string, string> {
  return {
    MAILIN_AI_AUTOMATION_ENABLED: 'true',
    MAILIN_AI_BASE_URL: `${sandboxUrl}/mailin/api/v1/public`,
    MAILIN_AI_EMAIL: PRIVATE_SMTP_SANDBOX_ENV.MAILIN_AI_EMAIL,
    MAILIN_AI_PASSWORD: PRIVATE_SMTP_SANDBOX_ENV.MAILIN_AI_PASSWORD,
    MAILIN_AI_TIMEOUT: '5',
    SPACESHIP_API_URL: `${sandboxUrl}/spaceship/api`,
    NAMECHEAP_API_URL: `${sandboxUrl}/namecheap/xml.response`,
    NAMECHEAP_CLIENT_IP: '127.0.0.1',
    PORTAL_URL: 'http://portal.test',
  };
}

/** The driver's adapter as the worker builds it from those settings. */
export function createTestPrivateSmtpAdapter(sandboxUrl: string) {
  return createPrivateSmtpAdapter(privateSmtpDeps(privateSmtpEnvSchema.parse(privateSmtpEnv(sandboxUrl))));
}

/** Seed 001's product: the private SMTP driver, with fast polls unless told otherwise. */
export async function createPrivateSmtpProduct(
  em: EntityManager,
  {
    slug,
    config = {},
    retryPolicy = { maxAttempts: 3, backoffSeconds: [0.2, 0.4] },
  }: { slug: string; config?: Record<string, unknown>; retryPolicy?: RetryPolicy },
): Promise<Product> {
  const product = em.create(Product, {
    slug,
    name: 'Private SMTP mailboxes',
    priceMinor: 2900,
    currency: 'USD',
    deliveryModel: 'mailbox_provisioning',
    fulfillmentDriver: 'private-smtp',
    fulfillmentConfig: { pollIntervalSeconds: 0.1, maxPolls: 30, transferCheckMinutes: 0, ...config },
    retryPolicy,
  });
  await em.flush();
  return product;
}

export type Registrar =
  | { platform: 'spaceship'; apiKey?: string; apiSecret?: string }
  | { platform: 'namecheap'; apiUser?: string; apiKey?: string };

/**
 * An order line as the portal sends it: the credentials saved first (encrypted), the line
 * referring to them. Two mailboxes per domain, `ama@` and `sales@`, by default.
 */
export async function privateSmtpLine(
  em: EntityManager,
  secrets: SecretBox,
  {
    domains,
    registrar = { platform: 'spaceship' },
    email = 'customer@example.com',
    prefixes = ['ama', 'sales'],
  }: { domains: string[]; registrar?: Registrar; email?: string; prefixes?: string[] },
): Promise<PrivateSmtpOrderLine> {
  const credentials =
    registrar.platform === 'spaceship'
      ? {
          platform: 'spaceship' as const,
          apiKey: registrar.apiKey ?? PRIVATE_SMTP_SANDBOX_ENV.SPACESHIP_SANDBOX_API_KEY,
          apiSecret: registrar.apiSecret ?? PRIVATE_SMTP_SANDBOX_ENV.SPACESHIP_SANDBOX_API_SECRET,
        }
      : {
          platform: 'namecheap' as const,
          apiUser: registrar.apiUser ?? PRIVATE_SMTP_SANDBOX_ENV.NAMECHEAP_SANDBOX_API_USER,
          apiKey: registrar.apiKey ?? PRIVATE_SMTP_SANDBOX_ENV.NAMECHEAP_SANDBOX_API_KEY,
          backupCodes: '123456 654321',
        };
  const saved = await savePlatformCredentials(em, secrets, { email, credentials });
  return {
    domains: domains.join('\n'),
    inboxesPerDomain: prefixes.length,
    prefixVariants: prefixes.map((prefix) => ({
      prefix,
      firstName: `${prefix[0]?.toUpperCase()}${prefix.slice(1)}`,
      lastName: 'Mensah',
    })),
    hostingPlatform: registrar.platform,
    platformCredentialId: saved.id,
    notes: '',
  };
}

/** The sandbox's control API for the three vendors. */
export function vendorControl(sandboxUrl: string) {
  const send = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${sandboxUrl}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  return {
    send,
    mailinSettings: (settings: Record<string, unknown>) => send('/mailin/settings', 'PUT', settings),
    activate: (domain: string) => send(`/mailin/domains/${domain}/activate`, 'POST'),
    mailboxes: async () =>
      ((await send('/mailin/mailboxes')) as { mailboxes: { username: string; name: string }[] }).mailboxes,
    jobs: async () =>
      ((await send('/mailin/jobs')) as { jobs: { uuid: string; status: string; idempotencyKey?: string | null }[] })
        .jobs,
    failJob: (uuid: string) => send(`/mailin/jobs/${uuid}/fail`, 'POST', { message: 'Mailbox provisioning failed.' }),
    expireTokens: () => send('/mailin/tokens/expire', 'POST'),
    tokens: () => send('/mailin/tokens'),
    spaceshipAccount: (apiKey: string, apiSecret: string, domains: string[]) =>
      send('/spaceship/accounts', 'POST', { apiKey, apiSecret, domains }),
    namecheapAccount: (apiUser: string, apiKey: string, clientIps: string[], domains: string[]) =>
      send('/namecheap/accounts', 'POST', { apiUser, apiKey, clientIps, domains }),
    namecheapClientIps: (apiUser: string, clientIps: string[]) =>
      send(`/namecheap/accounts/${apiUser}/client-ips`, 'PUT', { clientIps }),
  };
}
