import { generateKeyPairSync } from 'node:crypto';
import type { DeliveryModel, PaymentGatewayName, ServiceRules, UserRole } from '@handover/contracts';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  InventoryItem,
  InventoryPool,
  KeyRingEntry,
  Product,
  type RetryPolicy,
  User,
  WalletAccount,
  WalletEntry,
} from '../entities';

export interface DemoSeedDeps {
  hashPassword(password: string): Promise<string>;
  encryptSecret(plaintext: string): string;
  /** Base URL of the sandbox, where the demo products' providers are emulated. */
  sandboxUrl: string;
  /** The secret the sandbox's SaaS provider checks point-of-sale's calls with (SAAS_PROVIDER_SECRETS). */
  saasProviderSecret: string;
}

export interface DemoSeedResult {
  users: { email: string; password: string; role: UserRole }[];
  products: number;
}

export const DEMO_PASSWORD = 'handover-demo';

interface DemoProduct {
  slug: string;
  name: string;
  description: string;
  deliverySummary: string;
  priceMinor: number;
  currency: string;
  deliveryModel: DeliveryModel;
  fulfillmentDriver: string;
  fulfillmentConfig: Record<string, unknown>;
  enabledPaymentGateways: PaymentGatewayName[];
  retryPolicy?: RetryPolicy;
  requiresReview?: boolean;
  isRecurring?: boolean;
  billingInterval?: 'month' | 'year';
  activation?: 'immediate' | 'scheduled';
  activationDateByCustomer?: boolean;
  serviceRules?: Partial<ServiceRules>;
  externalProvider?: string;
  externalProductRef?: string;
}

/** Seed 004's home Internet: one per account, billed at the service address, one service per order. */
const HOME_INTERNET: Partial<ServiceRules> = {
  serviceKind: 'home_internet',
  onePerAccount: true,
  oneServicePerOrder: true,
  billingAddressIsServiceAddress: true,
  requiredProfile: ['customerNumber'],
  activationChecks: ['payment_method_on_file'],
};

/** The key-ring entries the demo's marketplace products name (seed 003 `credentials_ref`). */
export const DEMO_KEY_RING = { saasSecretRef: 'point-of-sale/hmac', licenseKeyRef: 'demo/licences' };

/** The downloadable files of the demo's products, under DOWNLOADS_DIR (`pnpm dev` writes them). */
export const DEMO_FILES = {
  invoicing: [
    { key: 'invoicing-desktop/2.4.0/InvoicingSetup-2.4.0.txt', name: 'Invoicing 2.4.0 installer (demo)' },
    { key: 'invoicing-desktop/2.4.0/release-notes.txt', name: 'Release notes 2.4.0' },
  ],
  templates: [{ key: 'invoice-templates/templates-2026.txt', name: 'Invoice templates 2026 (demo)' }],
  analytics: [{ key: 'analytics-suite/1.0/AnalyticsSetup-1.0.txt', name: 'Analytics suite 1.0 installer (demo)' }],
};

/** Demo products of earlier versions, replaced by the ones above: switched off, never deleted. */
const RETIRED_DEMO_SLUGS = ['point-of-sale-cloud', 'dedicated-crm', 'invoicing-desktop', 'analytics-suite'];

/** One product per delivery model the user's documents describe. */
function demoProducts(sandboxUrl: string): DemoProduct[] {
  return [
    {
      slug: 'microsoft-365-domain',
      name: 'Microsoft 365 email domain',
      description: 'Your domain on Microsoft 365 with email forwarding, set up for you.',
      deliverySummary: 'Nameservers to set at your registrar; the domain goes live once DNS points to them.',
      priceMinor: 4900,
      currency: 'USD',
      deliveryModel: 'domain_provisioning',
      fulfillmentDriver: 'm365-domain',
      fulfillmentConfig: { inventoryPool: 'microsoft-365' },
      enabledPaymentGateways: ['sandbox', 'stripe'],
      retryPolicy: { maxAttempts: 3, backoffSeconds: [2, 4] },
    },
    {
      slug: 'private-smtp',
      name: 'Private SMTP mailboxes',
      description: 'Up to three mailboxes per domain, created on a private SMTP platform.',
      deliverySummary: 'Mailbox logins for every domain, once its nameservers are moved.',
      priceMinor: 2900,
      currency: 'USD',
      deliveryModel: 'mailbox_provisioning',
      fulfillmentDriver: 'private-smtp',
      fulfillmentConfig: { pollIntervalSeconds: 10, maxPolls: 30 },
      enabledPaymentGateways: ['sandbox', 'stripe', 'paypal'],
    },
    ...demoBundlePackages(),
    {
      slug: 'point-of-sale',
      name: 'Point of Sale (cloud)',
      description: 'A hosted point-of-sale workspace for your shop, billed monthly.',
      deliverySummary: 'A workspace link and an owner login, within a minute of paying.',
      priceMinor: 1900,
      currency: 'USD',
      deliveryModel: 'saas_multitenant',
      fulfillmentDriver: 'saas-multitenant',
      // Seed 003 §12: point-of-sale onboards through the provider contract (the sandbox's provider).
      externalProvider: 'point-of-sale',
      externalProductRef: 'pos-cloud',
      fulfillmentConfig: {
        base_url: `${sandboxUrl}/saas/point-of-sale`,
        auth_mode: 'hmac',
        credentials_ref: DEMO_KEY_RING.saasSecretRef,
        timeout_seconds: 15,
        plans: [
          { id: 'starter', label: 'Starter', description: 'One till, one location' },
          { id: 'growth', label: 'Growth', description: 'Up to 10 locations' },
          { id: 'enterprise', label: 'Enterprise', description: 'Every location, priority support' },
        ],
        default_plan: 'starter',
        options: [
          { key: 'business_name', label: 'Business name', type: 'text', max_length: 120 },
          { key: 'locations', label: 'Number of locations', type: 'number', min: 1, max: 50, required: false },
          {
            key: 'currency',
            label: 'Currency at the till',
            type: 'choice',
            required: false,
            choices: [
              { value: 'USD', label: 'US dollar' },
              { value: 'EUR', label: 'Euro' },
              { value: 'GHS', label: 'Ghanaian cedi' },
            ],
          },
        ],
      },
      enabledPaymentGateways: ['sandbox', 'dodo'],
      isRecurring: true,
      billingInterval: 'month',
    },
    {
      slug: 'dedicated-crm-instance',
      name: 'Dedicated CRM instance',
      description: 'A CRM server of your own, provisioned and managed for you.',
      deliverySummary: 'Your instance URL and admin login when provisioning finishes (a few minutes).',
      priceMinor: 9900,
      currency: 'USD',
      deliveryModel: 'saas_singletenant',
      fulfillmentDriver: 'saas-singletenant',
      fulfillmentConfig: {
        template: 'crm-standard',
        resource_profile: 'small',
        regions: ['eu-central', 'us-east', 'ap-southeast'],
        domain_strategy: 'subdomain',
        allow_custom_domain: true,
        poll_interval_seconds: 5,
        max_polls: 120,
      },
      enabledPaymentGateways: ['sandbox', 'stripe'],
      isRecurring: true,
      billingInterval: 'month',
    },
    {
      slug: 'invoicing-for-desktop',
      name: 'Invoicing for Desktop',
      description: 'A self-hosted invoicing app: a licence key for up to three machines, and the installer.',
      deliverySummary: 'A signed licence key and download links for the installer.',
      priceMinor: 7900,
      currency: 'USD',
      deliveryModel: 'self_hosted_license',
      fulfillmentDriver: 'license',
      fulfillmentConfig: {
        license_type: 'perpetual',
        activation_limit: 3,
        signing_key_ref: DEMO_KEY_RING.licenseKeyRef,
        product_code: 'INVOICING-2',
        features: ['multi_currency', 'recurring_invoices'],
        files: DEMO_FILES.invoicing,
        link_ttl_minutes: 15,
      },
      enabledPaymentGateways: ['sandbox', 'stripe', 'dodo'],
    },
    {
      slug: 'invoice-templates',
      name: 'Invoice templates pack',
      description: 'Forty invoice and receipt templates to download and use anywhere.',
      deliverySummary: 'Download links, valid for 30 days.',
      priceMinor: 1500,
      currency: 'USD',
      deliveryModel: 'self_hosted_download',
      fulfillmentDriver: 'download',
      fulfillmentConfig: { files: DEMO_FILES.templates, link_ttl_minutes: 15, max_downloads: 10, available_days: 30 },
      enabledPaymentGateways: ['sandbox', 'stripe'],
    },
    {
      slug: 'email-setup-service',
      name: 'Managed email setup',
      description: 'Our team configures your email, DNS and signatures.',
      deliverySummary: 'Done by our operations team within 24 hours.',
      priceMinor: 14900,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'ops', slaHours: 24, instructions: 'Configure the customer mail setup as ordered.' },
      enabledPaymentGateways: ['sandbox', 'paypal'],
    },
    {
      slug: 'analytics-suite-hybrid',
      name: 'Analytics suite (self-hosted or managed)',
      description: 'Run it yourself with a licence, or let our team set it up for you.',
      deliverySummary: 'Choose at checkout: a licence and the installer, or a managed setup by our team.',
      priceMinor: 19900,
      currency: 'USD',
      deliveryModel: 'hybrid',
      fulfillmentDriver: 'hybrid',
      fulfillmentConfig: {
        paths: [
          {
            id: 'self-hosted',
            label: 'Run it yourself',
            description: 'A licence key for two machines and the installer.',
            driver: 'license',
            config: {
              activation_limit: 2,
              signing_key_ref: DEMO_KEY_RING.licenseKeyRef,
              product_code: 'ANALYTICS-1',
              files: DEMO_FILES.analytics,
            },
          },
          {
            id: 'managed',
            label: 'Managed setup',
            description: 'Our team installs and configures it for you within two working days.',
            driver: 'manual',
            config: { queue: 'ops', slaHours: 48, instructions: 'Install the analytics suite for the customer.' },
          },
        ],
      },
      enabledPaymentGateways: ['sandbox', 'stripe'],
    },
    {
      slug: 'fibre-internet',
      name: 'Fibre internet service',
      description: 'Home internet, billed monthly; reviewed by our team before activation.',
      deliverySummary: 'Service activated after review, immediately or on the date you choose.',
      priceMinor: 5900,
      currency: 'USD',
      deliveryModel: 'billing_service',
      fulfillmentDriver: 'whmcs',
      fulfillmentConfig: { productId: 1, billingCycle: 'monthly' },
      enabledPaymentGateways: ['sandbox'],
      requiresReview: true,
      isRecurring: true,
      billingInterval: 'month',
      activation: 'scheduled',
      activationDateByCustomer: true,
      // Reviewed in the operator system, and shown to accounts eligible for Home 1G (CN-0042 in the sandbox).
      serviceRules: { ...HOME_INTERNET, operatorProductCode: 'HOME-INTERNET-1G' },
    },
    {
      slug: 'home-broadband',
      name: 'Home broadband, installed by our team',
      description:
        'A broadband line at your address; our team reviews the order and installs it on the day you choose.',
      deliverySummary: 'An installation visit on your chosen date, after review.',
      priceMinor: 3900,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'installs', slaHours: 48, instructions: 'Install the line at the order address.' },
      enabledPaymentGateways: ['sandbox', 'wallet'],
      requiresReview: true,
      activation: 'scheduled',
      activationDateByCustomer: true,
      serviceRules: HOME_INTERNET,
    },
    {
      slug: 'japan-esim-1gb',
      name: 'Japan eSIM 1 GB',
      description:
        'A travel eSIM with 1 GB of data for 7 days in Japan. Reviewed by our team; activated on your travel date.',
      deliverySummary:
        'A QR code to scan with your phone on the activation date; reissue or top up from your order page.',
      priceMinor: 1800,
      currency: 'USD',
      deliveryModel: 'billing_service',
      fulfillmentDriver: 'esim',
      fulfillmentConfig: { packageCode: 'JC016' },
      enabledPaymentGateways: ['sandbox', 'stripe'],
      requiresReview: true,
      activation: 'scheduled',
      activationDateByCustomer: true,
      serviceRules: { oneServicePerOrder: true, minimumAge: 18 },
    },
    {
      slug: 'japan-esim-top-up-1gb',
      name: 'Japan eSIM top-up 1 GB',
      description: 'One more gigabyte, added to your Japan eSIM at once.',
      deliverySummary: 'The data on your eSIM within a minute.',
      priceMinor: 1500,
      currency: 'USD',
      deliveryModel: 'data_bundle',
      fulfillmentDriver: 'esim-top-up',
      fulfillmentConfig: { packageCode: 'TOPUP_JC016', forPackages: ['JC016', 'JC017'] },
      enabledPaymentGateways: ['sandbox', 'stripe'],
    },
  ];
}

/**
 * Seed 002's packages: AT-iShare bundles (the sandbox's reseller sells AirtelTigo numbers), paid
 * from the wallet or on the sandbox gateway, retried 5 min, 15 min and 1 h after the first try.
 */
function demoBundlePackages(): DemoProduct[] {
  const sizes: [sizeGb: number, priceMinor: number][] = [
    [1, 600],
    [2, 1_150],
    [5, 2_700],
    [10, 5_000],
    [20, 9_500],
  ];
  return sizes.map(([sizeGb, priceMinor]) => ({
    slug: `at-ishare-${sizeGb}gb`,
    name: `AT-iShare ${sizeGb} GB data bundle`,
    description: 'Mobile data delivered straight to an AirtelTigo number.',
    deliverySummary: `${sizeGb} GB of data on the phone number you give, usually within a minute, with a text when it lands.`,
    priceMinor,
    currency: 'GHS',
    deliveryModel: 'data_bundle',
    fulfillmentDriver: 'data-bundle',
    fulfillmentConfig: { network: 'AT-iShare', sizeGb },
    enabledPaymentGateways: ['wallet', 'sandbox'],
    retryPolicy: { maxAttempts: 4, backoffSeconds: [300, 900, 3600] },
  }));
}

/** What the demo customer finds in their wallet, to buy bundles with at once (GHS, in pesewas). */
const DEMO_WALLET = { email: 'customer@handover.test', currency: 'GHS', amountMinor: 20_000 };

const DEMO_USERS: { email: string; name: string; role: UserRole }[] = [
  { email: 'admin@handover.test', name: 'Ada Admin', role: 'admin' },
  { email: 'ops@handover.test', name: 'Otto Ops', role: 'ops' },
  { email: 'finance@handover.test', name: 'Fay Finance', role: 'finance' },
  { email: 'customer@handover.test', name: 'Cory Customer', role: 'customer' },
];

/** Loads the demo catalog, users and a stocked inventory pool. Safe to run again: existing rows are kept. */
export async function seedDemo(em: EntityManager, deps: DemoSeedDeps): Promise<DemoSeedResult> {
  for (const product of demoProducts(deps.sandboxUrl)) {
    const existing = await em.findOne(Product, { slug: product.slug });
    if (existing) continue;
    em.create(Product, {
      ...product,
      defaultPaymentGateway: product.enabledPaymentGateways[0] ?? 'sandbox',
      retryPolicy: product.retryPolicy ?? null,
    });
  }

  for (const slug of RETIRED_DEMO_SLUGS) {
    const retired = await em.findOne(Product, { slug });
    if (retired) retired.isActive = false;
  }
  await seedKeyRing(em, deps);

  for (const user of DEMO_USERS) {
    const existing = await em.findOne(User, { email: user.email });
    if (existing) continue;
    // Demo accounts are ours: their addresses count as confirmed.
    em.create(User, { ...user, passwordHash: await deps.hashPassword(DEMO_PASSWORD), emailVerifiedAt: new Date() });
  }

  await em.flush();
  const customer = await em.findOneOrFail(User, { email: DEMO_WALLET.email });
  if ((await em.count(WalletAccount, { user: customer })) === 0) {
    const account = em.create(WalletAccount, {
      user: customer,
      currency: DEMO_WALLET.currency,
      balanceMinor: DEMO_WALLET.amountMinor,
    });
    em.create(WalletEntry, {
      account,
      amountMinor: DEMO_WALLET.amountMinor,
      balanceAfterMinor: DEMO_WALLET.amountMinor,
      reason: 'top_up',
      reference: 'top_up:demo',
      description: 'Demo money to buy data bundles with',
    });
  }

  let pool = await em.findOne(InventoryPool, { slug: 'microsoft-365' });
  if (!pool) {
    pool = em.create(InventoryPool, { slug: 'microsoft-365', name: 'Microsoft 365 accounts', lowStockThreshold: 3 });
    for (let i = 1; i <= 10; i++) {
      em.create(InventoryItem, {
        pool,
        email: `ms-demo-${String(i).padStart(2, '0')}@outlook.test`,
        secretEncrypted: deps.encryptSecret(`Demo-Pass-${i}!`),
        notes: 'Demo stock',
      });
    }
  }
  await em.flush();

  return {
    users: DEMO_USERS.map((u) => ({ email: u.email, password: DEMO_PASSWORD, role: u.role })),
    products: demoProducts(deps.sandboxUrl).length,
  };
}

/**
 * The demo's key ring: the SaaS provider's shared secret (the sandbox's, so onboarding works) and
 * an Ed25519 key that signs the demo's licences, sealed as the key ring seals them.
 */
async function seedKeyRing(em: EntityManager, deps: DemoSeedDeps): Promise<void> {
  const secret = await em.findOne(KeyRingEntry, { ref: DEMO_KEY_RING.saasSecretRef });
  if (!secret) {
    em.create(KeyRingEntry, {
      ref: DEMO_KEY_RING.saasSecretRef,
      kind: 'hmac_secret',
      secretEncrypted: deps.encryptSecret(deps.saasProviderSecret),
      hint: deps.saasProviderSecret.slice(-4),
      description: 'Signs calls to the sandbox point-of-sale provider',
    });
  } else {
    // The sandbox's secret is made per machine: keep the demo's in step with it.
    Object.assign(secret, {
      secretEncrypted: deps.encryptSecret(deps.saasProviderSecret),
      hint: deps.saasProviderSecret.slice(-4),
    });
  }
  if (!(await em.findOne(KeyRingEntry, { ref: DEMO_KEY_RING.licenseKeyRef }))) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    em.create(KeyRingEntry, {
      ref: DEMO_KEY_RING.licenseKeyRef,
      kind: 'ed25519_signing_key',
      secretEncrypted: deps.encryptSecret(privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')),
      publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      description: "Signs the demo products' licence keys",
    });
  }
}
