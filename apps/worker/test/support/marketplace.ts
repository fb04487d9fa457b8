import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type AnyFulfillmentAdapter, createSigningKey, putKeyRingSecret, type SecretBox, SYSTEM } from '@handover/core';
import { KeyRingEntry, Product, type RetryPolicy } from '@handover/db';
import {
  createDownloadAdapter,
  createHybridAdapter,
  createLicenseAdapter,
  createSaasMultitenantAdapter,
  createSaasSingletenantAdapter,
  InstanceProvisioningClient,
  LocalDiskStorage,
  manualAdapter,
} from '@handover/integrations';
import type { EntityManager } from '@mikro-orm/postgresql';

/** The secret the sandbox's SaaS provider verifies point-of-sale's calls with, and the key ring holds. */
export const POS_SECRET = 'point-of-sale-test-secret-0123456789abcdef';
export const POS_SECRET_REF = 'point-of-sale/hmac';
export const INSTANCE_PROVISIONING_API_KEY = 'instance-provisioning-test-key-0123456789';
export const LICENSE_KEY_REF = 'invoicing/licences';

/** What the sandbox needs to accept the marketplace drivers' calls. */
export const marketplaceSandboxEnv = {
  SAAS_PROVIDER_SECRETS: JSON.stringify({ 'point-of-sale': POS_SECRET }),
  INSTANCE_PROVISIONING_API_KEY,
  INSTANCE_PROVISIONING_READY_AFTER_MS: '300',
};

/** The files a download product hands out, in a folder of the test's own (the local-disk store). */
export function downloadsFolder(files: Record<string, string> = { 'invoicing/2.4.0/setup.zip': 'installer bytes' }) {
  const root = mkdtempSync(join(tmpdir(), 'handover-downloads-'));
  for (const [key, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, key)), { recursive: true });
    writeFileSync(join(root, key), content);
  }
  return { root, storage: new LocalDiskStorage(root), remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Every marketplace driver as the worker builds them, pointed at the sandbox at `sandboxUrl`. */
export function marketplaceAdapters(sandboxUrl: string, downloadsRoot: string): AnyFulfillmentAdapter[] {
  const storage = new LocalDiskStorage(downloadsRoot);
  const built: AnyFulfillmentAdapter[] = [
    manualAdapter,
    createSaasMultitenantAdapter(),
    createSaasSingletenantAdapter(
      new InstanceProvisioningClient({
        baseUrl: `${sandboxUrl}/instance-provisioning`,
        apiKey: INSTANCE_PROVISIONING_API_KEY,
        timeoutMs: 2_000,
      }),
    ),
    createLicenseAdapter(storage),
    createDownloadAdapter(storage),
  ];
  return [...built, createHybridAdapter(built)];
}

/** Puts the SaaS provider's secret and a licence signing key in the key ring, as an admin would. */
export async function stockKeyRing(em: EntityManager, box: SecretBox): Promise<void> {
  if (!(await em.findOne(KeyRingEntry, { ref: POS_SECRET_REF }))) {
    await putKeyRingSecret(em, box, { ref: POS_SECRET_REF, value: POS_SECRET }, SYSTEM);
  }
  if (!(await em.findOne(KeyRingEntry, { ref: LICENSE_KEY_REF }))) {
    await createSigningKey(em, box, { ref: LICENSE_KEY_REF }, SYSTEM);
  }
}

const FAST: RetryPolicy = { maxAttempts: 3, backoffSeconds: [0.2, 0.4] };

async function product(em: EntityManager, fields: Partial<Product> & Pick<Product, 'slug' | 'name'>): Promise<Product> {
  const created = em.create(Product, {
    priceMinor: 1900,
    currency: 'USD',
    enabledPaymentGateways: ['sandbox'],
    defaultPaymentGateway: 'sandbox',
    retryPolicy: FAST,
    ...fields,
  } as Product);
  await em.flush();
  return created;
}

/** Seed 003 §12's point-of-sale, onboarded through the provider contract in the sandbox. */
export function createPosProduct(
  em: EntityManager,
  sandboxUrl: string,
  options: { slug?: string; config?: Record<string, unknown>; recurring?: boolean; retryPolicy?: RetryPolicy } = {},
) {
  return product(em, {
    slug: options.slug ?? 'point-of-sale',
    name: 'Point of Sale (cloud)',
    deliveryModel: 'saas_multitenant',
    fulfillmentDriver: 'saas-multitenant',
    externalProvider: 'point-of-sale',
    externalProductRef: 'pos-cloud',
    fulfillmentConfig: {
      base_url: `${sandboxUrl}/saas/point-of-sale`,
      credentials_ref: POS_SECRET_REF,
      timeout_seconds: 2,
      poll_interval_seconds: 0.1,
      plans: [
        { id: 'starter', label: 'Starter' },
        { id: 'growth', label: 'Growth' },
      ],
      default_plan: 'starter',
      options: [
        { key: 'business_name', label: 'Business name', type: 'text' },
        { key: 'locations', label: 'Locations', type: 'number', min: 1, max: 50, required: false },
      ],
      ...options.config,
    },
    ...(options.recurring ? { isRecurring: true, billingInterval: 'month' as const } : {}),
    ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
  });
}

/** A dedicated CRM instance from the sandbox's instance-provisioning API. */
export function createDedicatedProduct(em: EntityManager, options: { slug?: string } = {}) {
  return product(em, {
    slug: options.slug ?? 'dedicated-crm',
    name: 'Dedicated CRM instance',
    deliveryModel: 'saas_singletenant',
    fulfillmentDriver: 'saas-singletenant',
    fulfillmentConfig: {
      template: 'crm-standard',
      resource_profile: 'small',
      regions: ['eu-central', 'us-east'],
      allow_custom_domain: true,
      poll_interval_seconds: 0.1,
      max_polls: 100,
    },
  });
}

export const licenseConfig = (files = [{ key: 'invoicing/2.4.0/setup.zip', name: 'Invoicing 2.4.0' }]) => ({
  license_type: 'perpetual',
  activation_limit: 2,
  signing_key_ref: LICENSE_KEY_REF,
  product_code: 'INVOICING-2',
  features: ['multi_currency'],
  files,
  link_ttl_minutes: 15,
});

/** A self-hosted product: a licence key and the installer. */
export function createLicenseProduct(em: EntityManager, options: { slug?: string; recurring?: boolean } = {}) {
  return product(em, {
    slug: options.slug ?? 'invoicing-desktop',
    name: 'Invoicing for Desktop',
    deliveryModel: 'self_hosted_license',
    fulfillmentDriver: 'license',
    fulfillmentConfig: licenseConfig(),
    ...(options.recurring ? { isRecurring: true, billingInterval: 'month' as const } : {}),
  });
}

/** A download-only product. */
export function createDownloadProduct(em: EntityManager, options: { slug?: string; maxDownloads?: number } = {}) {
  return product(em, {
    slug: options.slug ?? 'font-pack',
    name: 'Font pack',
    deliveryModel: 'self_hosted_download',
    fulfillmentDriver: 'download',
    fulfillmentConfig: {
      files: [{ key: 'invoicing/2.4.0/setup.zip', name: 'Font pack 1.0' }],
      link_ttl_minutes: 5,
      max_downloads: options.maxDownloads ?? null,
    },
  });
}

/** Seed 003's hybrid: a licence and download, or managed setup by our team. */
export function createHybridProduct(em: EntityManager, options: { slug?: string } = {}) {
  return product(em, {
    slug: options.slug ?? 'analytics-suite',
    name: 'Analytics suite',
    deliveryModel: 'hybrid',
    fulfillmentDriver: 'hybrid',
    fulfillmentConfig: {
      paths: [
        { id: 'self-hosted', label: 'Run it yourself', driver: 'license', config: licenseConfig() },
        {
          id: 'managed',
          label: 'Managed setup by our team',
          driver: 'manual',
          config: { queue: 'ops', slaHours: 24, instructions: 'Install the analytics suite for the customer.' },
        },
      ],
    },
  });
}
