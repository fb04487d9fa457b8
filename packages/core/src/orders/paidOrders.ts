import { activityLogRow, SYSTEM } from '../activity/activity';
import type { DomainEvent, ReactionContext } from '../events/domainEvents';
import { placeOrder } from './placeOrder';

/**
 * `payment.received` for a checkout of products: the order is placed under the id the payment
 * reserved, with its items, records and their jobs, and `order.placed` tells who else cares.
 */
export async function placePaidOrder(event: DomainEvent, ctx: ReactionContext): Promise<void> {
  if (event.type !== 'payment.received' || event.checkout.purpose !== 'order') return;
  const { checkout, payment, basket } = event;
  const { batch, now } = ctx;
  if (!checkout.orderId)
    throw new Error(`payment ${payment.id} for checkout ${checkout.pendingOrderId} reserved no order`);
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
          ...(checkout.previousStatus !== 'pending_payment' ? { pendingOrderWas: checkout.previousStatus } : {}),
        },
      },
      now,
    ),
  ]);
  await ctx.raise({
    type: 'order.placed',
    order: {
      orderId: order.orderId,
      orderCode: order.orderCode,
      customerEmail: checkout.email,
      userId: checkout.userId,
    },
    records: order.recordIds.length,
    needsReview: order.needsReview,
    paymentId: payment.id,
  });
}
