import {
  type DeliveryModel,
  type PaymentGatewayName,
  type ProductInput,
  productInputSchema,
  readServiceRules,
} from '@handover/contracts';
import { Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { checkoutOptionsOf } from '../catalog/listProducts';
import { NotFoundError, ValidationError } from '../errors';
import type { ConnectionTestContext } from '../fulfillment/adapter';
import { type DriverRegistry, fieldErrorsOf, validateFulfillmentConfig } from '../fulfillment/registry';
import type { PaymentGateways } from '../payments/gateways';
import { containing } from './sql';

/** Every product, active or not, with its full configuration: the admin's product list. */
export async function listProductsForStaff(
  em: EntityManager,
  registry: DriverRegistry,
  filter: { q?: string; isActive?: boolean },
) {
  const q = filter.q?.trim();
  const products = await em.find(
    Product,
    {
      ...(filter.isActive === undefined ? {} : { isActive: filter.isActive }),
      ...(q ? { $or: [{ name: { $ilike: containing(q) } }, { slug: { $ilike: containing(q) } }] } : {}),
    },
    { orderBy: { name: 'asc', id: 'asc' } },
  );
  return products.map((product) => toStaffProduct(product, registry));
}

export async function getProductForStaff(em: EntityManager, registry: DriverRegistry, productId: string) {
  const product = await em.findOne(Product, { id: productId });
  if (!product) throw new NotFoundError('No product with this id.');
  return toStaffProduct(product, registry);
}

/**
 * Whether customers can order the product now, and if not why: inactive, or delivered by a
 * driver this deployment does not run (the catalog leaves those out, see listActiveProducts).
 */
export function productAvailability(
  product: Pick<Product, 'isActive' | 'fulfillmentDriver'>,
  registry: DriverRegistry,
): { orderable: boolean; availability: string } {
  if (!registry.has(product.fulfillmentDriver)) {
    return {
      orderable: false,
      availability: `Not orderable: the ${product.fulfillmentDriver} driver is not installed here`,
    };
  }
  return product.isActive
    ? { orderable: true, availability: 'Orderable (shown in the catalog)' }
    : { orderable: false, availability: 'Not orderable: inactive' };
}

function toStaffProduct(product: Product, registry: DriverRegistry) {
  return {
    ...productAvailability(product, registry),
    id: product.id,
    slug: product.slug,
    name: product.name,
    description: product.description,
    deliverySummary: product.deliverySummary,
    priceMinor: product.priceMinor,
    currency: product.currency,
    deliveryModel: product.deliveryModel,
    fulfillmentDriver: product.fulfillmentDriver,
    // Config holds references to secrets (credentials_ref), never the secrets themselves.
    fulfillmentConfig: product.fulfillmentConfig,
    externalProvider: product.externalProvider ?? null,
    externalProductRef: product.externalProductRef ?? null,
    enabledPaymentGateways: product.enabledPaymentGateways,
    defaultPaymentGateway: product.defaultPaymentGateway,
    retryPolicy: product.retryPolicy ?? null,
    requiresReview: product.requiresReview,
    activation: product.activation,
    activationDateByCustomer: product.activationDateByCustomer,
    serviceRules: readServiceRules(product.serviceRules),
    isRecurring: product.isRecurring,
    billingInterval: product.billingInterval ?? null,
    supportsTrial: product.supportsTrial,
    trialDays: product.trialDays ?? null,
    isActive: product.isActive,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
  };
}

export interface DriverDescription {
  driver: string;
  deliveryModels: DeliveryModel[];
  /** The driver's config schema as JSON Schema, so a form can render its fields. */
  configJsonSchema: Record<string, unknown>;
  steps: string[];
  canTestConnection: boolean;
  /** What the connection test calls, in words; null when the driver has no test. */
  testConnectionCalls: string | null;
}

/** The registered drivers, for the product form's selectors and config fields. */
export function describeDrivers(registry: DriverRegistry): DriverDescription[] {
  return registry.list().map((adapter) => ({
    driver: adapter.driver,
    deliveryModels: [...adapter.deliveryModels],
    configJsonSchema: z.toJSONSchema(adapter.configSchema, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >,
    steps: adapter.steps.map((step) => step.name),
    canTestConnection: typeof adapter.testConnection === 'function',
    testConnectionCalls: adapter.testConnection
      ? (adapter.testConnectionCalls ?? `the ${adapter.driver} provider`)
      : null,
  }));
}

/**
 * Seed 003 §7.3 "Test Connection": checks the config with the driver's schema, then asks the
 * driver to reach its provider. A driver without a connection test says so.
 */
export async function testDriverConnection(
  registry: DriverRegistry,
  driver: string,
  config: unknown,
  context: ConnectionTestContext,
): Promise<{ ok: boolean; message: string }> {
  const parsed = validateFulfillmentConfig(registry, driver, config);
  const adapter = registry.get(driver);
  if (!adapter.testConnection) {
    return { ok: false, message: `The ${driver} driver has no connection test.` };
  }
  try {
    return await adapter.testConnection(parsed, context);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/**
 * Seed 003 §7.3 "real-time validation hints": the config as typed, checked by its driver's
 * schema, with every problem named by field (`fulfillmentConfig.<path>`). Changes nothing.
 */
export function checkDriverConfig(
  registry: DriverRegistry,
  driver: string,
  config: unknown,
): { ok: boolean; fieldErrors: Record<string, string[]> } {
  try {
    validateFulfillmentConfig(registry, driver, config);
    return { ok: true, fieldErrors: {} };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, fieldErrors: error.fieldErrors };
    throw error;
  }
}

/** One way to pay as the checkout would offer it for a product. */
export interface PreviewGateway {
  gateway: PaymentGatewayName;
  /** Whether this server can take it now (credentials set; the wallet needs a signed-in customer). */
  usable: boolean;
  isDefault: boolean;
}

/**
 * Seed 003 §7.3 "Preview checkout options": what a customer will see for the product as typed
 * (not yet saved): the price, the ways to pay this server can take, the driver's order-form
 * options (plans, options, paths), and what would stop it being ordered.
 */
export function previewCheckout(
  registry: DriverRegistry,
  input: ProductInput,
  gateways: PaymentGateways,
): {
  name: string;
  priceMinor: number;
  currency: string;
  recurring: { interval: 'month' | 'year'; trialDays: number | null } | null;
  gateways: PreviewGateway[];
  formFacts: Record<string, string>;
  checkoutOptions: Record<string, unknown>;
  problems: string[];
} {
  const parsed = productInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('The product is not valid', fieldErrorsOf(parsed.error, ''));
  const product = parsed.data;
  const problems: string[] = [];
  const config = checkDriverConfig(registry, product.fulfillmentDriver, product.fulfillmentConfig);
  if (!registry.has(product.fulfillmentDriver))
    problems.push(`The ${product.fulfillmentDriver} driver is not installed here.`);
  else if (!config.ok) problems.push('The driver configuration is not valid: customers could not order it.');
  else if (!registry.get(product.fulfillmentDriver).deliveryModels.includes(product.deliveryModel)) {
    problems.push(`The ${product.fulfillmentDriver} driver does not deliver ${product.deliveryModel} products.`);
  }
  const offered = product.enabledPaymentGateways.map((gateway) => ({
    gateway,
    usable: gateway === 'wallet' ? !product.isRecurring : gateways[gateway] !== undefined,
    isDefault: gateway === product.defaultPaymentGateway,
  }));
  if (!offered.some((g) => g.usable)) problems.push('No enabled gateway can take a payment on this server.');
  if (product.isRecurring && offered.every((g) => !g.usable || g.gateway === 'paypal')) {
    problems.push('A subscription needs a gateway that renews: Stripe, Dodo Payments or the sandbox.');
  }
  if (!product.isActive) problems.push('The product is inactive: it is not in the catalog.');
  return {
    name: product.name,
    priceMinor: product.priceMinor,
    currency: product.currency,
    recurring:
      product.isRecurring && product.billingInterval
        ? { interval: product.billingInterval, trialDays: product.supportsTrial ? product.trialDays : null }
        : null,
    gateways: offered,
    formFacts: registry.has(product.fulfillmentDriver) ? (registry.get(product.fulfillmentDriver).formFacts ?? {}) : {},
    checkoutOptions: checkoutOptionsOf(registry, product.fulfillmentDriver, product.fulfillmentConfig),
    problems,
  };
}

/**
 * Seed 003 §7.3 "Test Payment Gateway Connection": an authenticated call to the gateway that
 * changes nothing (its credentials and address work), for each gateway a product enables.
 */
export async function testGatewayConnection(
  gateways: PaymentGateways,
  name: PaymentGatewayName,
): Promise<{ ok: boolean; message: string }> {
  if (name === 'wallet') {
    return { ok: true, message: 'The wallet is kept by Handover itself: there is no outside system to reach.' };
  }
  const gateway = gateways[name];
  if (!gateway)
    return { ok: false, message: `${name} has no credentials on this server: set its variables and restart.` };
  if (!gateway.testConnection) return { ok: false, message: `${name} offers no connection test.` };
  try {
    return await gateway.testConnection();
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
