import type { WriteBatch } from '../database/writeBatch';
import type { DomainEvent, ListenerContext } from '../events/domainEvents';
import { notificationRow, queueMessageIn } from './outbox';
import { dnsVerifiedMessage, fulfillmentFailedMessage, orderCompletedMessage, retryingMessage } from './templates';

/**
 * What the customer is told as their order is fulfilled, in reaction to the domain events the
 * record writer raises (the engine composes no message itself).
 */
export function notifyCustomerOfFulfillment(event: DomainEvent, batch: WriteBatch, ctx: ListenerContext): void {
  switch (event.type) {
    case 'fulfillment.failed': {
      const { record } = event;
      const text = fulfillmentFailedMessage({
        orderCode: record.orderCode,
        item: record.item,
        reason: event.reason,
        portalUrl: ctx.portalUrl,
      });
      const data = { orderId: record.orderId, orderCode: record.orderCode, recordId: record.recordId };
      queueMessageIn(
        batch,
        { channel: 'email', recipient: record.customerEmail, template: 'fulfillment_failed', ...text, data },
        ctx.now,
      );
      inApp(
        batch,
        ctx,
        record.userId,
        'order_status_change',
        text.subject,
        `${event.reason}. Our team has been alerted.`,
        data,
      );
      return;
    }
    case 'fulfillment.retrying': {
      if (!event.notifyCustomer) return;
      const { record } = event;
      const text = retryingMessage({ orderCode: record.orderCode, item: record.item, at: event.at });
      inApp(batch, ctx, record.userId, 'fulfillment_retrying', text.title, text.message, {
        orderId: record.orderId,
        orderCode: record.orderCode,
        recordId: record.recordId,
      });
      return;
    }
    case 'order.fulfillment_status_changed': {
      // The engine's delivery is announced here; a later confirmation (the DNS check making a
      // domain active) sends its own notice, which says whether the whole order is active.
      if (event.by !== 'engine' || (event.to !== 'completed' && event.to !== 'active')) return;
      const { order } = event;
      const text = orderCompletedMessage({
        orderCode: order.orderCode,
        active: event.to === 'active',
        portalUrl: ctx.portalUrl,
      });
      const data = { orderId: order.orderId, orderCode: order.orderCode };
      inApp(
        batch,
        ctx,
        order.userId,
        'order_status_change',
        text.subject,
        text.body.split('\n\n')[0] ?? text.subject,
        data,
      );
      queueMessageIn(
        batch,
        {
          channel: 'email',
          recipient: order.customerEmail,
          template: event.to === 'active' ? 'order_active' : 'order_completed',
          ...text,
          data,
        },
        ctx.now,
      );
      return;
    }
    case 'domain.verified': {
      const { record } = event;
      const text = dnsVerifiedMessage({
        orderCode: record.orderCode,
        domain: event.domain,
        orderActive: event.orderActive,
        portalUrl: ctx.portalUrl,
      });
      const data = { orderId: record.orderId, recordId: record.recordId };
      inApp(
        batch,
        ctx,
        record.userId,
        'order_status_change',
        text.subject,
        text.body.split('\n\n')[0] ?? text.subject,
        data,
      );
      queueMessageIn(
        batch,
        { channel: 'email', recipient: record.customerEmail, template: 'dns_verified', ...text, data },
        ctx.now,
      );
      return;
    }
    default:
      return;
  }
}

function inApp(
  batch: WriteBatch,
  ctx: ListenerContext,
  userId: string,
  type: string,
  title: string,
  message: string,
  data: Record<string, unknown>,
): void {
  batch.insert('notifications', [notificationRow({ userId, type, title, message, data }, ctx.now)]);
}
