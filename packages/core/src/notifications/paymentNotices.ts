import { GATEWAY_LABELS } from '@handover/contracts';
import type { WriteBatch } from '../database/writeBatch';
import type { DomainEvent, ListenerContext } from '../events/domainEvents';
import { formatMoney } from '../money';
import { notificationRow, queueMessageIn } from './outbox';
import { orderRefusedMessage, paymentReceiptMessage } from './templates';

/** What the customer is told as their money moves: a paid order, a refused one, a top-up, a subscription. */
export function notifyCustomerOfPayment(event: DomainEvent, batch: WriteBatch, ctx: ListenerContext): void {
  const notice = noticeOf(event);
  if (notice) batch.insert('notifications', [notificationRow(notice, ctx.now)]);
  if (event.type === 'order.placed') {
    const text = paymentReceiptMessage({
      orderCode: event.order.orderCode,
      amount: formatMoney(event.amountMinor, event.currency),
      paidWith: GATEWAY_LABELS[event.gateway],
      needsReview: event.needsReview,
      portalUrl: ctx.portalUrl,
    });
    queueMessageIn(
      batch,
      {
        channel: 'email',
        recipient: event.order.customerEmail,
        template: 'payment_receipt',
        ...text,
        data: { orderId: event.order.orderId, orderCode: event.order.orderCode },
      },
      ctx.now,
    );
  }
  if (event.type === 'order.refused') {
    const text = orderRefusedMessage({
      orderCode: event.order.orderCode,
      reason: event.reason,
      amount: formatMoney(event.amountMinor, event.currency),
      portalUrl: ctx.portalUrl,
    });
    queueMessageIn(
      batch,
      {
        channel: 'email',
        recipient: event.order.customerEmail,
        template: 'order_refused',
        ...text,
        data: { orderId: event.order.orderId, orderCode: event.order.orderCode },
      },
      ctx.now,
    );
  }
}

function noticeOf(event: DomainEvent) {
  switch (event.type) {
    case 'order.placed':
      return {
        userId: event.order.userId,
        type: 'order_status_change',
        title: `Payment received for order ${event.order.orderCode}`,
        message: event.needsReview
          ? 'Thank you. We review this order before setting it up, and will let you know when that starts.'
          : 'Thank you. We are setting up your order now; follow each step on the order page.',
        data: { orderId: event.order.orderId },
      };
    case 'order.refused':
      return {
        userId: event.order.userId,
        type: 'order_status_change',
        title: `Order ${event.order.orderCode} could not be accepted`,
        message: `${event.reason}. We are refunding ${formatMoney(event.amountMinor, event.currency)} to the way you paid.`,
        data: { orderId: event.order.orderId },
      };
    case 'wallet.topped_up':
      return {
        userId: event.userId,
        type: 'wallet_top_up',
        title: 'Wallet topped up',
        message: `${formatMoney(event.amountMinor, event.currency)} was added; your balance is ${formatMoney(event.balanceAfterMinor, event.currency)}.`,
        data: { pendingOrderId: event.pendingOrderId },
      };
    case 'subscription.renewed':
      // A restored subscription's customer gets the restoring notice instead.
      if (event.restoredFrom) return null;
      return {
        userId: event.order.userId,
        type: 'subscription_renewed',
        title: `Subscription renewed (order ${event.order.orderCode})`,
        message: `We received ${formatMoney(event.amountMinor, event.currency)}; nothing changes on your side.`,
        data: { orderId: event.order.orderId },
      };
    case 'subscription.ended':
      return {
        userId: event.order.userId,
        type: 'subscription_cancelled',
        title: `Subscription ended (order ${event.order.orderCode})`,
        message:
          'Your subscription has ended, so the service is suspended. Subscribe again to pick up where you left off.',
        data: { orderId: event.order.orderId },
      };
    default:
      return null;
  }
}
