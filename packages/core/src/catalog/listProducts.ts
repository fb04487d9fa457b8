import {
  type ActivationType,
  type DeliveryModel,
  type PaymentGatewayName,
  type ProfileField,
  readServiceRules,
} from '@handover/contracts';
import { Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { needsPaymentMethodOnFile } from '../billing/paymentMethodGate';
import type { DriverRegistry } from '../fulfillment/registry';

/** What a customer may see of a product: never its fulfillment config. */
export interface CatalogProduct {
  id: string;
  slug: string;
  name: string;
  description: string;
  deliverySummary: string;
  priceMinor: number;
  currency: string;
  deliveryModel: DeliveryModel;
  driver: string;
  enabledPaymentGateways: PaymentGatewayName[];
  defaultPaymentGateway: PaymentGatewayName;
  isRecurring: boolean;
  billingInterval: 'month' | 'year' | null;
  /** What the driver's order form shows beside its fields (an address to allow-list, say). */
  formFacts: Record<string, string>;
  /** Seed 004: ops review each order before it is provisioned. */
  requiresReview: boolean;
  /** Seed 004: billed by the billing system, so a payment method must be on file there first. */
  requiresPaymentMethod: boolean;
  /** Seed 004 5a: activated at once or on a date, and whether the customer chooses it. */
  activation: ActivationType;
  activationDateByCustomer: boolean;
  /** Seed 004's rules, as the order form needs them (what it asks for and what it says). */
  rules: {
    serviceKind: string | null;
    onePerAccount: boolean;
    oneServicePerOrder: boolean;
    billingAddressIsServiceAddress: boolean;
    requiredProfile: ProfileField[];
    minimumAge: number | null;
    /** Seed 004: the product's code in the operator system's catalog; set, only eligible accounts see it. */
    operatorProductCode: string | null;
  };
  /** What the order form offers from the product's config (plans, options, paths; seed 003 §7.1). */
  checkoutOptions: Record<string, unknown>;
  /** Seed 003 §5.4: days of free trial before the first charge, when the product offers one. */
  trialDays: number | null;
}

/**
 * Products a customer can order now: active, and delivered by a driver this deployment runs
 * (a product whose driver is not installed would take money it cannot deliver on).
 */
export async function listActiveProducts(
  em: EntityManager,
  registry: DriverRegistry,
  usableGateway: (gateway: PaymentGatewayName) => boolean = () => true,
): Promise<CatalogProduct[]> {
  const products = await em.find(Product, { isActive: true }, { orderBy: { deliveryModel: 'asc', name: 'asc' } });
  return products
    .filter((product) => registry.has(product.fulfillmentDriver))
    .map((product) => ({
      ...toCatalogProduct(product),
      requiresPaymentMethod: needsPaymentMethodOnFile(registry, product),
      formFacts: registry.get(product.fulfillmentDriver).formFacts ?? {},
      checkoutOptions: checkoutOptionsOf(registry, product.fulfillmentDriver, product.fulfillmentConfig),
      // Only the ways to pay this server can take right now are offered.
      enabledPaymentGateways: product.enabledPaymentGateways.filter(usableGateway),
    }));
}

/** What the driver's order form offers for `config`; nothing when the config does not parse. */
export function checkoutOptionsOf(registry: DriverRegistry, driver: string, config: unknown): Record<string, unknown> {
  if (!registry.has(driver)) return {};
  const adapter = registry.get(driver);
  const parsed = adapter.configSchema.safeParse(config);
  return parsed.success ? (adapter.checkoutOptions?.(parsed.data) ?? {}) : {};
}

export function toCatalogProduct(product: Product): CatalogProduct {
  return {
    id: product.id,
    slug: product.slug,
    name: product.name,
    description: product.description,
    deliverySummary: product.deliverySummary,
    priceMinor: product.priceMinor,
    currency: product.currency,
    deliveryModel: product.deliveryModel,
    driver: product.fulfillmentDriver,
    enabledPaymentGateways: product.enabledPaymentGateways,
    defaultPaymentGateway: product.defaultPaymentGateway,
    isRecurring: product.isRecurring,
    billingInterval: product.billingInterval ?? null,
    trialDays: product.supportsTrial ? (product.trialDays ?? null) : null,
    formFacts: {},
    requiresReview: product.requiresReview,
    requiresPaymentMethod: false,
    activation: product.activation,
    activationDateByCustomer: product.activationDateByCustomer,
    rules: (({ activationChecks: _, ...rules }) => rules)(readServiceRules(product.serviceRules)),
    checkoutOptions: {},
  };
}
