import { activityLogRow, SYSTEM } from '../activity/activity';
import { ValidationError } from '../errors';
import type { DomainEvent, PaidBasket, ReactionContext } from '../events/domainEvents';
import { checkOrderLines } from '../fulfillment/orderLines';
import { reviewedInOperatorSystem } from '../operatorSystem/checkoutOrders';
import { serviceRuleRefusal } from '../serviceRules/paidServiceRules';
import { placeOrder } from './placeOrder';

/**
 * `payment.received` for a checkout of products: the lines are checked again as checkout checked
 * them (what was free then may be taken now), then the order is placed under the id the payment
 * reserved, with its items, records and their jobs, and `order.placed` tells who else cares. An
 * order its checks now refuse is kept cancelled, without records, and `order.refused` has its
 * payment refunded and the customer told why.
 */
export async function placePaidOrder(event: DomainEvent, ctx: ReactionContext): Promise<void> {
  if (event.type !== 'payment.received' || event.checkout.purpose !== 'order') return;
  const { checkout, payment, basket } = event;
  const { batch, now } = ctx;
  if (!checkout.orderId)
    throw new Error(`payment ${payment.id} for checkout ${checkout.pendingOrderId} reserved no order`);
  const refusedBecause =
    (await serviceRuleRefusal(ctx.em, checkout.userId, basket.lines)) ?? (await refusal(ctx, basket));
  const order = await placeOrder(
    ctx.em,
    ctx.registry,
    {
      orderId: checkout.orderId,
      userId: checkout.userId,
      email: checkout.email,
      phone: checkout.phone,
      lines: basket.lines,
      amountMinor: checkout.amountMinor,
      currency: checkout.currency,
      pendingOrderId: checkout.pendingOrderId,
      paymentGateway: payment.gateway,
      paymentReference: payment.gatewayPaymentId,
      isTest: checkout.isTest,
      paidAt: now,
      ...(refusedBecause ? { refusedBecause } : {}),
    },
    batch,
    now,
    basket.products,
  );
  batch.insert('activity_logs', [
    activityLogRow(
      {
        action: 'order.paid',
        subjectType: 'order',
        subjectId: order.orderId,
        actor: SYSTEM,
        properties: {
          gateway: payment.gateway,
          paymentId: payment.gatewayPaymentId,
          eventId: payment.eventId,
          amountMinor: payment.amountMinor,
          records: order.recordIds.length,
          ...(refusedBecause ? { refusedBecause } : {}),
          ...(checkout.previousStatus !== 'pending_payment' ? { pendingOrderWas: checkout.previousStatus } : {}),
        },
      },
      now,
    ),
  ]);
  const facts = {
    orderId: order.orderId,
    orderCode: order.orderCode,
    customerEmail: checkout.email,
    userId: checkout.userId,
  };
  if (refusedBecause) {
    await ctx.raise({
      type: 'order.refused',
      order: facts,
      reason: refusedBecause,
      paymentId: payment.id,
      gateway: payment.gateway,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
    });
    return;
  }
  await ctx.raise({
    type: 'order.placed',
    order: facts,
    records: order.recordIds.length,
    needsReview: order.needsReview,
    reviewedInOperatorSystem:
      order.needsReview &&
      (await reviewedInOperatorSystem(
        ctx.em,
        basket.lines.map((line) => line.productId),
      )),
    paymentId: payment.id,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    gateway: payment.gateway,
  });
}

/**
 * What the lines' drivers refuse now, in the customer's words (null when they accept every
 * line). Lines whose product or driver is gone are placeOrder's to hand to a person, not a refusal.
 */
async function refusal(ctx: ReactionContext, basket: PaidBasket): Promise<string | null> {
  const products = new Map(basket.products.map((product) => [product.id, product]));
  const lines = basket.lines.flatMap((line) => {
    const product = products.get(line.productId);
    return product && ctx.registry.has(product.fulfillmentDriver)
      ? [{ driver: product.fulfillmentDriver, productName: line.productName, input: line.input }]
      : [];
  });
  try {
    await checkOrderLines(ctx.em, ctx.registry, lines);
    return null;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const messages = [...new Set(Object.values(error.fieldErrors).flat())];
    return messages.length > 0 ? messages.join('; ') : error.message;
  }
}
