import type { Order, Payment, Refund } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, recordActivity } from '../activity/activity';
import { WriteBatch } from '../database/writeBatch';
import { publish } from '../events/publish';
import { endOrderDelivery } from '../fulfillment/endDelivery';
import type { DriverRegistry } from '../fulfillment/registry';
import { formatMoney } from '../money';
import { notifyInApp, queueMessage } from '../notifications/outbox';
import { creditWallet } from '../wallet/ledger';

/**
 * A refund went through: the money moves on the payment and the order (`partially_refunded`,
 * then `refunded` once everything paid is back), a wallet refund credits the wallet, the
 * customer is told, and, when asked, the order's delivery is cancelled. Call with the order
 * locked; runs once per refund (its status guards it).
 */
export async function markRefundSucceeded(
  em: EntityManager,
  registry: DriverRegistry,
  { refund, payment, order }: { refund: Refund; payment: Payment; order: Order },
  { now, actor }: { now: Date; actor: Actor },
): Promise<void> {
  if (refund.status === 'succeeded') return;
  refund.status = 'succeeded';
  refund.completedAt = now;
  refund.lastError = null;
  payment.refundedMinor += refund.amountMinor;
  payment.status = payment.refundedMinor >= payment.amountMinor ? 'refunded' : 'partially_refunded';
  order.refundedMinor += refund.amountMinor;
  await em.flush();
  const [paid] = await em.execute<{ total: number }[]>(
    'select coalesce(sum(amount_minor), 0)::int as total from payments where order_id = ?',
    [order.id],
  );
  order.status = order.refundedMinor >= (paid?.total ?? 0) ? 'refunded' : 'partially_refunded';

  const amount = formatMoney(refund.amountMinor, refund.currency);
  if (refund.destination === 'wallet') {
    await creditWallet(em, {
      userId: order.user.id,
      currency: refund.currency,
      amountMinor: refund.amountMinor,
      reason: 'refund',
      reference: `refund:${refund.id}`,
      orderId: order.id,
      description: `Refund of order ${order.orderCode}`,
    });
  }
  const ended = refund.cancelFulfillment
    ? await endOrderDelivery(em, registry, order.id, 'cancel', { actor, now, reason: 'The order was refunded' })
    : null;
  recordActivity(em, {
    action: 'order.refunded',
    subjectType: 'order',
    subjectId: order.id,
    actor,
    description: refund.reason,
    properties: {
      refundId: refund.id,
      amountMinor: refund.amountMinor,
      destination: refund.destination,
      gatewayRefundId: refund.gatewayRefundId ?? null,
      status: order.status,
      ...(ended ? { delivery: ended } : {}),
    },
  });
  const refunded = new WriteBatch();
  publish(
    refunded,
    [
      {
        type: 'refund.completed',
        order: { orderId: order.id, orderCode: order.orderCode, customerEmail: order.email, userId: order.user.id },
        refund: {
          id: refund.id,
          amountMinor: refund.amountMinor,
          currency: refund.currency,
          destination: refund.destination,
          reason: refund.reason,
        },
        orderStatus: order.status,
      },
    ],
    { portalUrl: '', now },
  );
  await refunded.execute(em);
  const where = refund.destination === 'wallet' ? 'to your wallet' : 'to the way you paid';
  notifyInApp(em, {
    userId: order.user.id,
    type: 'order_refunded',
    title: `Refund for order ${order.orderCode}`,
    message: `${amount} has been refunded ${where}.`,
    data: { orderId: order.id, refundId: refund.id },
  });
  await queueMessage(em, {
    channel: 'email',
    recipient: order.email,
    template: 'order_refunded',
    subject: `Refund for order ${order.orderCode}`,
    body: [
      `We have refunded ${amount} for order ${order.orderCode}, ${where}.`,
      refund.destination === 'wallet'
        ? 'It is in your wallet now, ready for your next order.'
        : 'Depending on your bank it may take a few days to show on your statement.',
      ...(ended && ended.queued.length + ended.stopped.length > 0
        ? ['The service on this order has been cancelled.']
        : []),
    ].join('\n\n'),
    data: { orderId: order.id, refundId: refund.id },
  });
}
