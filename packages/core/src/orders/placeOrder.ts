import { randomUUID } from 'node:crypto';
import type { OrderStatus, PaymentGatewayName } from '@handover/contracts';
import { type PendingOrderLine, Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { activationColumns, activationJobs, orderActivationOf } from '../activation/plan';
import { raiseAlert } from '../alerts/alerts';
import { lineInputErrors } from '../checkout/cart';
import type { WriteBatch } from '../database/writeBatch';
import { type PlannedProduct, planFulfillmentRecords } from '../fulfillment/createRecords';
import type { DriverRegistry } from '../fulfillment/registry';
import { jobSpec } from '../jobs/addJob';
import { findExistingServices } from '../serviceRules/existingServices';
import { generateOrderCode } from './orderCode';

export interface PlaceOrderInput {
  /** The id the payment reserved for it; a new one when left out. */
  orderId?: string;
  userId: string;
  email: string;
  phone: string | null;
  lines: PendingOrderLine[];
  amountMinor: number;
  currency: string;
  pendingOrderId: string | null;
  paymentGateway: PaymentGatewayName | null;
  paymentReference: string | null;
  isTest: boolean;
  paidAt: Date | null;
  /**
   * The order's checks refused it when it was paid (a domain set up meanwhile): it is kept, as the
   * record of the money, cancelled with this reason and no records, for its payment to be refunded.
   */
  refusedBecause?: string;
}

/** What placing an order reads of a product. */
export type OrderedProduct = PlannedProduct & Pick<Product, 'requiresReview'>;

export interface PlacedOrder {
  orderId: string;
  orderCode: string;
  status: OrderStatus;
  recordIds: string[];
  /** A product of the order requires review: records wait without jobs until approval (seed 004). */
  needsReview: boolean;
}

/**
 * Turns paid order lines into an order, its items (one per unit) and one fulfillment record per
 * item, or per part when the driver splits it, with their `fulfill` jobs: all added to `batch`,
 * which the caller executes in its transaction beside its own rows. Used by the payment webhook,
 * wallet purchases and test orders alike, so a test order runs exactly what a paid one runs
 * (seed 000).
 */
export async function placeOrder(
  em: EntityManager,
  registry: DriverRegistry,
  input: PlaceOrderInput,
  batch: WriteBatch,
  now: Date,
  /** The lines' products when the caller has read them already (the webhook, with its pending order). */
  known?: OrderedProduct[],
): Promise<PlacedOrder> {
  const ids = [...new Set(input.lines.map((line) => line.productId))];
  const products: OrderedProduct[] = known ?? (await em.find(Product, { id: { $in: ids } }));
  const byId = new Map(products.map((product) => [product.id, product]));
  const needsReview = products.some((product) => product.requiresReview);
  const orderId = input.orderId ?? randomUUID();
  const orderCode = generateOrderCode();
  const refused = input.refusedBecause !== undefined;
  const status: OrderStatus = refused ? 'cancelled' : needsReview ? 'pending_review' : 'paid';
  // Seed 004: the lines' snapshots say how the service is activated, its kind and its address. An
  // order that waits for review keeps the customer's date as a proposal; ops settle it on approval.
  const activation = orderActivationOf(input.lines);
  const service = input.lines.find((line) => line.service)?.service ?? null;
  const startsOnDate = !needsReview && activation.type === 'scheduled' && activation.at ? activation.at : null;

  const items: Record<string, unknown>[] = [];
  const plans: {
    itemId: string;
    product: OrderedProduct;
    input: Record<string, unknown>;
    scheduledFor: Date | null;
  }[] = [];
  const problems: string[] = [];
  for (const [index, line] of input.lines.entries()) {
    const product = byId.get(line.productId);
    if (!product) {
      problems.push(`line ${index + 1}: product ${line.productId} no longer exists`);
      continue;
    }
    if (!registry.has(product.fulfillmentDriver)) {
      problems.push(`line ${index + 1}: the ${product.fulfillmentDriver} driver is not available`);
    } else if (Object.keys(lineInputErrors(registry, product.fulfillmentDriver, line.input, index)).length > 0) {
      problems.push(`line ${index + 1}: the order form no longer passes the ${product.fulfillmentDriver} checks`);
    }
    for (let unit = 0; unit < line.quantity; unit++) {
      const itemId = randomUUID();
      items.push({
        id: itemId,
        order_id: orderId,
        product_id: product.id,
        product_name: line.productName,
        driver: product.fulfillmentDriver,
        quantity: 1,
        unit_price_minor: line.unitPriceMinor,
        currency: input.currency,
        input: line.input,
        created_at: now,
      });
      plans.push({ itemId, product, input: line.input, scheduledFor: startsOnDate });
    }
  }

  batch.insert('orders', [
    {
      id: orderId,
      order_code: orderCode,
      user_id: input.userId,
      email: input.email,
      phone: input.phone,
      pending_order_id: input.pendingOrderId,
      status,
      payment_gateway: input.paymentGateway,
      payment_reference: input.paymentReference,
      amount_minor: input.amountMinor,
      currency: input.currency,
      is_test: input.isTest,
      paid_at: input.paidAt,
      ...(refused ? { fulfillment_status: 'cancelled', fulfillment_error: input.refusedBecause } : {}),
      ...activationColumns(activation),
      service_kind: service?.kind ?? null,
      billing_address: service?.billingAddress ?? null,
      created_at: now,
      updated_at: now,
    },
  ]);
  batch.insert('order_items', items);
  if (refused) return { orderId, orderCode, status, recordIds: [], needsReview };

  // Money taken is never refused: an order whose lines can no longer be delivered as they were
  // checked at checkout is kept, without records, and handed to a person.
  if (problems.length > 0) {
    await raiseAlert(em, {
      type: 'order_needs_attention',
      severity: 'critical',
      message: `Order ${orderCode} was paid but cannot start: ${problems.join('; ')}`,
      subjectType: 'order',
      subjectId: orderId,
      data: { problems },
    });
    return { orderId, orderCode, status, recordIds: [], needsReview };
  }
  const records = planFulfillmentRecords(registry, plans);
  batch.insert(
    'fulfillment_records',
    records.map((record) => ({
      id: record.id,
      order_id: orderId,
      order_item_id: record.orderItemId,
      product_id: record.productId,
      driver: record.driver,
      position: record.position,
      subject: record.subject,
      status: record.status,
      scheduled_for: record.scheduledFor,
      payload_snapshot: record.payloadSnapshot,
      max_attempts: record.maxAttempts,
      is_test: input.isTest,
      created_at: now,
      updated_at: now,
    })),
  );
  if (startsOnDate) batch.jobs(activationJobs(orderId, activation, now));
  else if (!needsReview) {
    batch.jobs(records.map((record) => jobSpec('fulfill', { recordId: record.id }, { newRow: true })));
  }
  if (!refused && service?.onePerAccount && service.kind)
    await flagSecondService(em, input.userId, service.kind, orderCode, orderId);
  return { orderId, orderCode, status, recordIds: records.map((record) => record.id), needsReview };
}

/**
 * Seed 004's one-per-account rule was checked at checkout, and a paid checkout's again at payment
 * (serviceRules/paidServiceRules.ts refuses it there). An order placed another way (a wallet
 * purchase, a test order) that still makes a second service is kept, and ops are told to settle it.
 */
async function flagSecondService(
  em: EntityManager,
  userId: string,
  kind: string,
  orderCode: string,
  orderId: string,
): Promise<void> {
  const [existing] = await findExistingServices(em, userId, [kind]);
  if (!existing) return;
  await raiseAlert(em, {
    type: 'order_needs_attention',
    severity: 'critical',
    message: `Order ${orderCode} is a second ${kind} for a customer who has order ${existing.orderCode}: reject or refund one.`,
    subjectType: 'order',
    subjectId: orderId,
    data: { serviceKind: kind, existingOrderId: existing.orderId },
  });
}
