import type { DataBundleConfig } from '@handover/contracts/drivers/data-bundle';
import { Product, type RetryPolicy } from '@handover/db';
import {
  ArkeselClient,
  AtIshareClient,
  createDataBundleAdapter,
  DATA_BUNDLE_RETRY_POLICY,
} from '@handover/integrations';
import type { EntityManager } from '@mikro-orm/postgresql';

/** The keys the sandbox's AT-iShare and Arkesel accept, and Handover's clients send. */
export const AT_ISHARE_API_KEY = 'at-ishare-test-key-0123456789';
export const ARKESEL_API_KEY = 'arkesel-test-key-0123456789';
export const ARKESEL_CALLBACK_SECRET = 'arkesel-callback-secret-0123456789';

/** What the sandbox needs to accept the clients below. */
export const bundleSandboxEnv = { AT_ISHARE_API_KEY, ARKESEL_API_KEY };

/** Handover's settings for the sandbox at `sandboxUrl`, as the worker and server read them. */
export function bundleEnv(sandboxUrl: string, callbackUrl?: string): Record<string, string> {
  return {
    AT_ISHARE_API_URL: `${sandboxUrl}/at-ishare`,
    AT_ISHARE_API_KEY,
    ARKESEL_API_URL: `${sandboxUrl}/arkesel`,
    ARKESEL_API_KEY,
    ARKESEL_SENDER_ID: 'Handover',
    ...(callbackUrl ? { ARKESEL_CALLBACK_URL: callbackUrl, ARKESEL_CALLBACK_SECRET } : {}),
  };
}

export function bundleAdapter(sandboxUrl: string, { timeoutMs = 2_000 } = {}) {
  return createDataBundleAdapter({
    'AT-iShare': new AtIshareClient({ baseUrl: `${sandboxUrl}/at-ishare`, apiKey: AT_ISHARE_API_KEY, timeoutMs }),
  });
}

export function arkeselClient(sandboxUrl: string, callbackUrl?: string) {
  return new ArkeselClient({
    baseUrl: `${sandboxUrl}/arkesel`,
    apiKey: ARKESEL_API_KEY,
    senderId: 'Handover',
    timeoutMs: 2_000,
    sendsPerSecond: 1000,
    ...(callbackUrl ? { callbackUrl, callbackSecret: ARKESEL_CALLBACK_SECRET } : {}),
  });
}

/** A package as the demo seeds them: a data-bundle product paid from the wallet or the sandbox gateway. */
export async function createBundleProduct(
  em: EntityManager,
  options: { slug: string; config?: DataBundleConfig; priceMinor?: number; retryPolicy?: RetryPolicy },
): Promise<Product> {
  const config = options.config ?? { network: 'AT-iShare', sizeGb: 10 };
  const product = em.create(Product, {
    slug: options.slug,
    name: `${config.network} ${config.sizeGb} GB data bundle`,
    priceMinor: options.priceMinor ?? 5000,
    currency: 'GHS',
    deliveryModel: 'data_bundle',
    fulfillmentDriver: 'data-bundle',
    fulfillmentConfig: config,
    enabledPaymentGateways: ['wallet', 'sandbox'],
    defaultPaymentGateway: 'wallet',
    retryPolicy: options.retryPolicy ?? DATA_BUNDLE_RETRY_POLICY,
  });
  await em.flush();
  return product;
}

export interface SandboxDelivery {
  reference: string;
  orderId: string;
  phoneNumber: string;
  sizeGb: number;
  status: string;
  idempotencyKey: string | null;
}

export interface SandboxText {
  id: string;
  recipient: string;
  message: string;
  status: string;
  callbackUrl: string | null;
}

/** The sandbox's AT-iShare and Arkesel, through their control routes. */
export function bundleSandbox(sandboxUrl: string) {
  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${sandboxUrl}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  };
  return {
    control,
    /** The next matching delivery requests fail this way (`remaining` of them, or all). */
    failNext: (rule: { failure: string; phoneNumber?: string; remaining?: number }) =>
      control('/at-ishare/failures', 'POST', rule),
    clearFailures: () => control('/at-ishare/failures', 'DELETE'),
    /** The reseller float, in cedis. */
    setFloat: (balance: number) => control('/at-ishare/balance', 'PUT', { balance }),
    float: async () => ((await control('/at-ishare/balance')) as { balance: number }).balance,
    settings: (settings: { pendingVerifies?: number; pendingMs?: number }) =>
      control('/at-ishare/settings', 'PUT', settings),
    deliveries: async () => ((await control('/at-ishare/deliveries')) as { deliveries: SandboxDelivery[] }).deliveries,
    /** Texts Arkesel accepted, newest first. */
    texts: async (to?: string) =>
      (
        (await control(`/arkesel/messages${to ? `?to=${encodeURIComponent(to)}` : ''}`)) as {
          messages: SandboxText[];
        }
      ).messages,
  };
}

/**
 * A clock that runs with real time from an offset a test moves forward; `advance` also makes
 * the jobs scheduled by then run now (graphile-worker compares run_at with the database's time).
 */
export function steppedClock() {
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  return {
    now,
    async advance(em: EntityManager, ms: number) {
      offset += ms;
      await em.execute(
        'update graphile_worker._private_jobs set run_at = now() where run_at <= ? and locked_at is null',
        [now()],
      );
    },
  };
}
