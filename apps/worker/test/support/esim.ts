import type { ServiceRules } from '@handover/contracts';
import { Product, type RetryPolicy } from '@handover/db';
import { createEsimAdapter, createEsimTopUpAdapter, EsimAccessClient } from '@handover/integrations';
import type { EntityManager } from '@mikro-orm/postgresql';

/** The credentials the sandbox's eSIM Access accepts, and the driver's client signs with. */
export const ESIM_SANDBOX_ENV = {
  ESIMACCESS_ACCESS_CODE: 'esim-test-access-code-0123456789',
  ESIMACCESS_SECRET_KEY: 'esim-test-secret-key-0123456789ab',
};

/** ESIMACCESS_* for a sandbox at `sandboxUrl`, as the server and worker read them. */
export const esimEnv = (sandboxUrl: string) => ({
  ESIMACCESS_API_URL: `${sandboxUrl}/esimaccess`,
  ...ESIM_SANDBOX_ENV,
});

export const esimClient = (sandboxUrl: string) =>
  new EsimAccessClient({
    baseUrl: `${sandboxUrl}/esimaccess`,
    accessCode: ESIM_SANDBOX_ENV.ESIMACCESS_ACCESS_CODE,
    secretKey: ESIM_SANDBOX_ENV.ESIMACCESS_SECRET_KEY,
    timeoutMs: 5_000,
  });

/** The eSIM and top-up drivers against the sandbox. */
export const esimAdapters = (sandboxUrl: string) => [
  createEsimAdapter(esimClient(sandboxUrl)),
  createEsimTopUpAdapter(esimClient(sandboxUrl)),
];

/** An eSIM product (Japan 1GB 7 days), reviewed or not, activated at once or on a date. */
export async function createEsimProduct(
  em: EntityManager,
  options: {
    slug: string;
    requiresReview?: boolean;
    activation?: 'immediate' | 'scheduled';
    activationDateByCustomer?: boolean;
    serviceRules?: Partial<ServiceRules>;
    retryPolicy?: RetryPolicy;
  },
): Promise<Product> {
  const product = em.create(Product, {
    slug: options.slug,
    name: 'Japan eSIM 1 GB',
    priceMinor: 1800,
    currency: 'USD',
    deliveryModel: 'billing_service',
    fulfillmentDriver: 'esim',
    fulfillmentConfig: { packageCode: 'JC016' },
    enabledPaymentGateways: ['sandbox', 'wallet'],
    defaultPaymentGateway: 'sandbox',
    requiresReview: options.requiresReview ?? false,
    activation: options.activation ?? 'immediate',
    activationDateByCustomer: options.activationDateByCustomer ?? false,
    serviceRules: options.serviceRules ?? {},
    retryPolicy: options.retryPolicy ?? { maxAttempts: 2, backoffSeconds: [0.2] },
  });
  await em.flush();
  return product;
}

/** A 1 GB top-up that fits the Japan plans. */
export async function createEsimTopUpProduct(em: EntityManager, slug = 'japan-top-up'): Promise<Product> {
  const product = em.create(Product, {
    slug,
    name: 'Japan eSIM top-up 1 GB',
    priceMinor: 1800,
    currency: 'USD',
    deliveryModel: 'data_bundle',
    fulfillmentDriver: 'esim-top-up',
    fulfillmentConfig: { packageCode: 'TOPUP_JC016', forPackages: ['JC016', 'JC017'] },
    enabledPaymentGateways: ['sandbox', 'wallet'],
    defaultPaymentGateway: 'sandbox',
    retryPolicy: { maxAttempts: 2, backoffSeconds: [0.2] },
  });
  await em.flush();
  return product;
}

/** A profile as the sandbox's control API lists it. */
export interface SandboxEsim {
  iccid: string;
  esimTranNo: string;
  ac: string;
  qrCodeUrl: string;
  esimStatus: string;
  smdpStatus: string;
  totalVolume: number;
  transactionId: string;
}
