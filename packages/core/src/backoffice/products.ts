import { type DeliveryModel, readServiceRules } from '@handover/contracts';
import { Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { NotFoundError } from '../errors';
import { type DriverRegistry, validateFulfillmentConfig } from '../fulfillment/registry';
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
): Promise<{ ok: boolean; message: string }> {
  const parsed = validateFulfillmentConfig(registry, driver, config);
  const adapter = registry.get(driver);
  if (!adapter.testConnection) {
    return { ok: false, message: `The ${driver} driver has no connection test.` };
  }
  try {
    return await adapter.testConnection(parsed);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
