import { type ProductInput, productInputSchema } from '@handover/contracts';
import { Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, recordActivity } from '../activity/activity';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { type DriverRegistry, fieldErrorsOf, validateFulfillmentConfig } from '../fulfillment/registry';

/**
 * Creates or updates a product. The form's fields are checked by the shared schema; the
 * fulfillment_config by its driver's schema, with errors named `fulfillmentConfig.<field>`;
 * the driver must serve the chosen delivery model, and what the config names (a pool, a
 * template) must exist, so that no order of it fails for a missing piece.
 */
export async function saveProduct(
  em: EntityManager,
  registry: DriverRegistry,
  input: ProductInput,
  actor: Actor,
  productId?: string,
): Promise<Product> {
  const parsed = productInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('The product is not valid', fieldErrorsOf(parsed.error, ''));
  const data = parsed.data;
  const config = validateFulfillmentConfig(registry, data.fulfillmentDriver, data.fulfillmentConfig);
  const adapter = registry.get(data.fulfillmentDriver);
  if (!adapter.deliveryModels.includes(data.deliveryModel)) {
    throw new ValidationError(`The ${adapter.driver} driver does not deliver ${data.deliveryModel} products`, {
      fulfillmentDriver: [`Choose a driver for ${data.deliveryModel}, or change the delivery model`],
    });
  }

  const missing = (await adapter.checkConfig?.(em, config)) ?? {};
  if (Object.keys(missing).length > 0) {
    throw new ValidationError(
      `The ${adapter.driver} configuration names something that does not exist`,
      Object.fromEntries(Object.entries(missing).map(([field, messages]) => [`fulfillmentConfig.${field}`, messages])),
    );
  }

  return em.transactional(async (tem) => {
    const clash = await tem.findOne(Product, { slug: data.slug, ...(productId ? { id: { $ne: productId } } : {}) });
    if (clash) throw new ConflictError(`Another product already uses the address "${data.slug}"`);
    let product: Product;
    if (productId) {
      const existing = await tem.findOne(Product, { id: productId });
      if (!existing) throw new NotFoundError('That product does not exist');
      product = tem.assign(existing, { ...data, fulfillmentConfig: config as Record<string, unknown> });
    } else {
      product = tem.create(Product, { ...data, fulfillmentConfig: config as Record<string, unknown> });
    }
    recordActivity(tem, {
      action: productId ? 'product.updated' : 'product.created',
      subjectType: 'product',
      subjectId: product.id,
      actor,
      properties: { slug: data.slug, driver: data.fulfillmentDriver },
    });
    return product;
  });
}
