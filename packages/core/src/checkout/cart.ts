import type { CheckoutInput } from '@handover/contracts';
import { type PendingOrderLine, Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '../errors';
import { checkOrderLines, parseOrderLine } from '../fulfillment/orderLines';
import { type DriverRegistry, fieldErrorsOf } from '../fulfillment/registry';

/** An order form checked against the catalog and the drivers, priced from the products. */
export interface PricedCart {
  lines: PendingOrderLine[];
  products: Product[];
  amountMinor: number;
  currency: string;
  /** Set when the cart is one recurring product (a subscription). */
  recurring: { interval: 'month' | 'year'; trialDays?: number } | null;
}

/**
 * Checks every line of the order form: the product exists and is on sale, its driver can run
 * here and accepts the line's input (each part, when the driver splits a line), one currency per
 * order, and a recurring product stands alone. Prices come from the products, never the client.
 */
export async function priceCart(
  em: EntityManager,
  registry: DriverRegistry,
  items: CheckoutInput['items'],
): Promise<PricedCart> {
  const ids = [...new Set(items.map((item) => item.productId))];
  const found = await em.find(Product, { id: { $in: ids }, isActive: true });
  const byId = new Map(found.map((product) => [product.id, product]));
  const errors: Record<string, string[]> = {};
  const lines: PendingOrderLine[] = [];
  const products: Product[] = [];
  const checks: { driver: string; productName: string; input: unknown; config: unknown }[] = [];

  for (const [index, item] of items.entries()) {
    const product = byId.get(item.productId);
    if (!product) {
      errors[`items.${index}.productId`] = ['This product is not on sale.'];
      continue;
    }
    products.push(product);
    if (!registry.has(product.fulfillmentDriver)) {
      errors[`items.${index}.productId`] = [`${product.name} cannot be ordered right now.`];
      continue;
    }
    Object.assign(errors, lineFormErrors(registry, product.fulfillmentDriver, item.input, index, product.name));
    // A line the driver splits (one record per domain, say) is priced per part, and is one unit:
    // ordering it twice would deliver the same parts twice.
    const parts = partCount(registry, product.fulfillmentDriver, item.input);
    if (parts > 1 && item.quantity > 1) {
      errors[`items.${index}.quantity`] = [`Order ${product.name} once, with every part in the same form.`];
    }
    checks.push({
      driver: product.fulfillmentDriver,
      productName: product.name,
      input: item.input,
      config: product.fulfillmentConfig,
    });
    lines.push({
      productId: product.id,
      productName: product.name,
      quantity: item.quantity,
      unitPriceMinor: product.priceMinor * parts,
      input: item.input,
    });
  }
  const first = products[0];
  if (first && products.some((product) => product.currency !== first.currency)) {
    errors.items = ['Every item of one order must be in the same currency; order the others separately.'];
  }
  const recurring = products.find((product) => product.isRecurring);
  if (recurring && (items.length > 1 || (items[0]?.quantity ?? 1) > 1)) {
    errors.items = [`${recurring.name} is a subscription: order it on its own, one at a time.`];
  }
  if (Object.keys(errors).length > 0 || !first) {
    throw new ValidationError('Some items of the order need attention.', errors);
  }
  // Valid lines are then checked against what exists (a domain already set up), before payment.
  await checkOrderLines(em, registry, checks);
  return {
    lines,
    products,
    amountMinor: lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0),
    currency: first.currency,
    recurring:
      recurring?.billingInterval != null
        ? {
            interval: recurring.billingInterval,
            ...(recurring.supportsTrial && recurring.trialDays ? { trialDays: recurring.trialDays } : {}),
          }
        : null,
  };
}

/**
 * A line checked as its form (the driver's form schema, then each part), with errors keyed
 * as the form's fields (`items.0.input.domains.1.domain`).
 */
function lineFormErrors(
  registry: DriverRegistry,
  driver: string,
  input: Record<string, unknown>,
  index: number,
  productName: string,
): Record<string, string[]> {
  try {
    parseOrderLine(registry.get(driver), input, index, productName);
    return {};
  } catch (error) {
    if (error instanceof ValidationError) return error.fieldErrors;
    return { [`items.${index}.input`]: [(error as Error).message] };
  }
}

/** How many records a line becomes: the driver's parts (one per domain, say), at least one. */
function partCount(registry: DriverRegistry, driver: string, input: Record<string, unknown>): number {
  const adapter = registry.get(driver);
  if (!adapter.split) return 1;
  try {
    return Math.max(1, adapter.split(input).length);
  } catch {
    // Refused by lineInputErrors with the driver's own message.
    return 1;
  }
}

/** The driver's own checks on one line (each part, when the driver splits it), as form field errors. */
export function lineInputErrors(
  registry: DriverRegistry,
  driver: string,
  input: Record<string, unknown>,
  index: number,
): Record<string, string[]> {
  const adapter = registry.get(driver);
  const errors: Record<string, string[]> = {};
  let parts: Record<string, unknown>[];
  try {
    parts = adapter.split ? adapter.split(input) : [input];
  } catch (error) {
    return { [`items.${index}.input`]: [(error as Error).message] };
  }
  if (parts.length === 0) return { [`items.${index}.input`]: ['Nothing to deliver in this line.'] };
  for (const part of parts) {
    const parsed = adapter.inputSchema.safeParse(part);
    if (!parsed.success) Object.assign(errors, fieldErrorsOf(parsed.error, `items.${index}.input`));
  }
  return errors;
}
