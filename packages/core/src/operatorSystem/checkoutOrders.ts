import { randomUUID } from 'node:crypto';
import { readServiceRules } from '@handover/contracts';
import { Order, OrderItem, Product, type User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Listener } from '../events/domainEvents';
import { jobSpec } from '../jobs/addJob';

/** The outbox template that makes the operator system's order of a checkout; the operator-system sender knows it. */
export const OPERATOR_ORDER_TEMPLATE = 'operator_order_create';

/** Whether any of these products is reviewed in the operator system (its rules name its product code there). */
export async function reviewedInOperatorSystem(em: EntityManager, productIds: readonly string[]): Promise<boolean> {
  if (productIds.length === 0) return false;
  const products = await em.find(Product, { id: { $in: [...productIds] } }, { fields: ['serviceRules'] });
  return products.some((product) => readServiceRules(product.serviceRules).operatorProductCode !== null);
}

/**
 * Seed 004 step 4: a checkout of a product that ops review in the operator system makes the
 * operator system's Order (Pending Review). It is an outbox message on the `operator_system`
 * channel, written in the transaction that placed the order, so it exists if and only if the
 * order does; the worker's sender makes the Order, keeps its id on the order (operator_orders)
 * and the outbox retries it while the operator system is down. The message is keyed by the
 * order: one per checkout, and the Order is made by an upsert keyed by the Handover order id, so
 * a retry after a lost answer finds the Order it made.
 */
export const createOperatorOrderAtCheckout: Listener = (event, batch, ctx) => {
  if (event.type !== 'order.placed' || !event.needsReview || !event.reviewedInOperatorSystem) return;
  const id = randomUUID();
  const orderId = event.order.orderId;
  batch.insert('outbox', [
    {
      id,
      channel: 'operator_system',
      recipient: event.order.orderCode,
      template: OPERATOR_ORDER_TEMPLATE,
      body: `Order ${event.order.orderCode}: awaiting review`,
      data: { orderId, orderCode: event.order.orderCode },
      dedupe_key: `${OPERATOR_ORDER_TEMPLATE}:${orderId}`,
      created_at: ctx.now,
      updated_at: ctx.now,
    },
  ]);
  batch.jobs([jobSpec('send_outbox', { messageId: id }, { newRow: true })]);
};

/** What the operator system's Order of a checkout is made from. */
export interface CheckoutOrderFacts {
  orderId: string;
  orderCode: string;
  userId: string;
  status: string;
  activationType: string;
  activationScheduledAt: Date | null;
  createdAt: Date;
  lines: { productName: string; operatorProductCode: string | null }[];
  /** The operator order already kept for it, when an earlier attempt or a Provision call named one. */
  operatorOrderId: string | null;
}

export async function loadCheckoutOrderFacts(em: EntityManager, orderId: string): Promise<CheckoutOrderFacts | null> {
  const fork = em.fork();
  const order = await fork.findOne(Order, orderId, { populate: ['user'] });
  if (!order) return null;
  const items = await fork.find(OrderItem, { order: orderId }, { populate: ['product'] });
  const [link] = await fork.execute<{ operator_order_id: string }[]>(
    'select operator_order_id from operator_orders where order_id = ?',
    [orderId],
  );
  return {
    orderId,
    orderCode: order.orderCode,
    userId: (order.user as User).id,
    status: order.status,
    activationType: order.activationType,
    activationScheduledAt: order.activationScheduledAt ?? null,
    createdAt: order.createdAt,
    lines: items.map((item) => ({
      productName: item.productName,
      operatorProductCode: readServiceRules((item.product as Product).serviceRules).operatorProductCode,
    })),
    operatorOrderId: link?.operator_order_id ?? null,
  };
}
