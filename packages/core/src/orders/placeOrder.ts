import {
  type FulfillmentRecord,
  Order,
  OrderItem,
  type PaymentGatewayName,
  type PendingOrder,
  type PendingOrderLine,
  Product,
  User,
} from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { raiseAlert } from '../alerts/alerts';
import { lineInputErrors } from '../checkout/cart';
import { createFulfillmentRecords, type RecordPlan } from '../fulfillment/createRecords';
import type { DriverRegistry } from '../fulfillment/registry';
import { generateOrderCode } from './orderCode';

export interface PlaceOrderInput {
  userId: string;
  email: string;
  phone: string | null;
  lines: PendingOrderLine[];
  amountMinor: number;
  currency: string;
  pendingOrder: PendingOrder | null;
  paymentGateway: PaymentGatewayName | null;
  paymentReference: string | null;
  isTest: boolean;
  paidAt: Date | null;
}

export interface PlacedOrder {
  order: Order;
  records: FulfillmentRecord[];
  /** A product of the order requires review: records wait without jobs until approval (seed 004). */
  needsReview: boolean;
}

/**
 * Turns paid order lines into an order, its items (one per unit) and one fulfillment record per
 * item, or per part when the driver splits it, with their `fulfill` jobs: all in `em`'s
 * transaction. Used by the payment webhook, wallet purchases and test orders alike, so a test
 * order runs exactly what a paid one runs (seed 000).
 */
export async function placeOrder(
  em: EntityManager,
  registry: DriverRegistry,
  input: PlaceOrderInput,
): Promise<PlacedOrder> {
  const products = await em.find(Product, { id: { $in: [...new Set(input.lines.map((l) => l.productId))] } });
  const byId = new Map(products.map((product) => [product.id, product]));
  const needsReview = products.some((product) => product.requiresReview);
  const order = em.create(Order, {
    orderCode: generateOrderCode(),
    user: em.getReference(User, input.userId),
    email: input.email,
    phone: input.phone,
    pendingOrder: input.pendingOrder,
    status: needsReview ? 'pending_review' : 'paid',
    paymentGateway: input.paymentGateway,
    paymentReference: input.paymentReference,
    amountMinor: input.amountMinor,
    currency: input.currency,
    isTest: input.isTest,
    paidAt: input.paidAt,
  });

  const plans: RecordPlan[] = [];
  const problems: string[] = [];
  for (const [index, line] of input.lines.entries()) {
    const product = byId.get(line.productId);
    if (!product) {
      problems.push(`line ${index + 1}: product ${line.productId} no longer exists`);
      continue;
    }
    if (!registry.has(product.fulfillmentDriver)) {
      problems.push(`line ${index + 1}: the ${product.fulfillmentDriver} driver is not available`);
    } else if (Object.keys(lineInputErrors(registry, product, line.input, index)).length > 0) {
      problems.push(`line ${index + 1}: the order form no longer passes the ${product.fulfillmentDriver} checks`);
    }
    for (let unit = 0; unit < line.quantity; unit++) {
      const item = em.create(OrderItem, {
        order,
        product,
        productName: line.productName,
        driver: product.fulfillmentDriver,
        quantity: 1,
        unitPriceMinor: line.unitPriceMinor,
        currency: input.currency,
        input: line.input,
      });
      plans.push({ item, product });
    }
  }

  // Money taken is never refused: an order whose lines can no longer be delivered as they were
  // checked at checkout is kept, without records, and handed to a person.
  if (problems.length > 0) {
    await raiseAlert(em, {
      type: 'order_needs_attention',
      severity: 'critical',
      message: `Order ${order.orderCode} was paid but cannot start: ${problems.join('; ')}`,
      subjectType: 'order',
      subjectId: order.id,
      data: { problems },
    });
    return { order, records: [], needsReview };
  }
  const records = await createFulfillmentRecords(em, registry, order, plans, { start: !needsReview });
  return { order, records, needsReview };
}
