import { Product, type RetryPolicy } from '@handover/db';
import {
  createWhmcsAdapter,
  OperatorSystemClient,
  operatorSystemSender,
  WhmcsClient,
  whmcsBillingSystem,
} from '@handover/integrations';
import type { EntityManager } from '@mikro-orm/postgresql';

/** The credentials the sandbox's WHMCS and operator system accept, and Handover's clients send. */
export const BILLING_SANDBOX_ENV = {
  WHMCS_API_IDENTIFIER: 'whmcs-test-identifier-0123',
  WHMCS_API_SECRET: 'whmcs-test-secret-0123456789',
  SALESFORCE_CLIENT_ID: 'salesforce-test-client-0123',
  SALESFORCE_CLIENT_SECRET: 'salesforce-test-secret-0123456789',
};

/** A WHMCS client against the sandbox; a small, quick breaker unless told otherwise. */
export const whmcsClient = (
  sandboxUrl: string,
  overrides: Partial<ConstructorParameters<typeof WhmcsClient>[0]> = {},
) =>
  new WhmcsClient({
    baseUrl: `${sandboxUrl}/whmcs`,
    identifier: BILLING_SANDBOX_ENV.WHMCS_API_IDENTIFIER,
    secret: BILLING_SANDBOX_ENV.WHMCS_API_SECRET,
    customerNumberFieldId: 1,
    timeoutMs: 2_000,
    retries: 0,
    breakerThreshold: 2,
    breakerOpenMs: 400,
    ...overrides,
  });

/** The whmcs driver and the billing seam, sharing one client (one breaker), as the processes build them. */
export function whmcsParts(sandboxUrl: string) {
  const client = whmcsClient(sandboxUrl);
  const billing = whmcsBillingSystem(client);
  return { client, billing, adapter: createWhmcsAdapter(client, billing) };
}

export const operatorSystemClient = (sandboxUrl: string) =>
  new OperatorSystemClient({
    baseUrl: `${sandboxUrl}/salesforce`,
    clientId: BILLING_SANDBOX_ENV.SALESFORCE_CLIENT_ID,
    clientSecret: BILLING_SANDBOX_ENV.SALESFORCE_CLIENT_SECRET,
    timeoutMs: 2_000,
  });

/** The outbox's write-back sender against the sandbox's operator system. */
export const writeBackSender = (sandboxUrl: string, em: EntityManager) =>
  operatorSystemSender(operatorSystemClient(sandboxUrl), em);

/** A billed service: WHMCS product 1 (Home Internet 1 Gbps), reviewed before it is provisioned. */
export async function createWhmcsProduct(
  em: EntityManager,
  options: { slug: string; retryPolicy?: RetryPolicy; requiresReview?: boolean },
): Promise<Product> {
  const product = em.create(Product, {
    slug: options.slug,
    name: 'Fibre internet 1 Gbps',
    priceMinor: 4900,
    currency: 'USD',
    deliveryModel: 'billing_service',
    fulfillmentDriver: 'whmcs',
    fulfillmentConfig: { productId: 1, billingCycle: 'monthly', paymentMethod: 'stripe' },
    enabledPaymentGateways: ['sandbox', 'wallet'],
    defaultPaymentGateway: 'sandbox',
    requiresReview: options.requiresReview ?? true,
    retryPolicy: options.retryPolicy ?? { maxAttempts: 3, backoffSeconds: [0.2] },
  });
  await em.flush();
  return product;
}

/** A WHMCS order as the sandbox's control API lists it. */
export interface SandboxWhmcsOrder {
  id: number;
  userid: number;
  status: string;
  notes: string;
  invoiceid: number;
  serviceids: number[];
}

/** A PATCH the sandbox's operator system received. */
export interface SandboxPatch {
  orderId: string;
  fields: Record<string, unknown>;
  status: number;
}
