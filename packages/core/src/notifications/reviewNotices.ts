import type { WriteBatch } from '../database/writeBatch';
import type { DomainEvent, ListenerContext } from '../events/domainEvents';
import { formatMoney } from '../money';
import { notificationRow, queueMessageIn } from './outbox';
import {
  activationPreflightFailedMessage,
  activationPreflightPassedMessage,
  orderApprovedMessage,
  orderRejectedMessage,
} from './templates';

/**
 * Seed 004: what the customer is told of their order's review and of its activation's preflight,
 * and of what they asked of a delivered record (an eSIM reissued), in reaction to domain events.
 */
export function notifyCustomerOfReviewAndActivation(event: DomainEvent, batch: WriteBatch, ctx: ListenerContext): void {
  switch (event.type) {
    case 'order.review_decided': {
      const { order } = event;
      const data = { orderId: order.orderId, orderCode: order.orderCode };
      const text =
        event.decision === 'approved'
          ? orderApprovedMessage({
              orderCode: order.orderCode,
              activation: event.activation ?? { type: 'immediate', at: null, timeZone: null },
              portalUrl: ctx.portalUrl,
            })
          : orderRejectedMessage({
              orderCode: order.orderCode,
              reason: event.reason ?? 'it does not meet our conditions',
              refund: event.refund ? formatMoney(event.refund.amountMinor, event.refund.currency) : null,
              portalUrl: ctx.portalUrl,
            });
      tell(batch, ctx, order, `order_${event.decision}`, text, data);
      return;
    }
    case 'activation.preflight_failed': {
      const { order } = event;
      const text = activationPreflightFailedMessage({
        orderCode: order.orderCode,
        activation: event.activation,
        problems: event.problems.map((problem) => problem.problem),
        portalUrl: ctx.portalUrl,
      });
      tell(batch, ctx, order, 'activation_preflight_failed', text, {
        orderId: order.orderId,
        orderCode: order.orderCode,
      });
      return;
    }
    case 'activation.preflight_passed': {
      const { order } = event;
      const text = activationPreflightPassedMessage({
        orderCode: order.orderCode,
        activation: event.activation,
        portalUrl: ctx.portalUrl,
      });
      tell(batch, ctx, order, 'activation_preflight_passed', text, {
        orderId: order.orderId,
        orderCode: order.orderCode,
      });
      return;
    }
    case 'fulfillment.action_completed':
    case 'fulfillment.action_failed': {
      const { record } = event;
      const done = event.type === 'fulfillment.action_completed';
      batch.insert('notifications', [
        notificationRow(
          {
            userId: record.userId,
            type: done ? 'record_action_completed' : 'record_action_failed',
            title: done ? `${record.item}: done` : `${record.item}: we could not do that`,
            message: done ? event.message : `${event.reason}. Our team has been alerted.`,
            data: { orderId: record.orderId, orderCode: record.orderCode, recordId: record.recordId },
          },
          ctx.now,
        ),
      ]);
      return;
    }
    default:
      return;
  }
}

/** An email and the same news in the app, with the body's first paragraph as the notice. */
function tell(
  batch: WriteBatch,
  ctx: ListenerContext,
  order: { userId: string; customerEmail: string },
  template: string,
  text: { subject: string; body: string },
  data: Record<string, unknown>,
): void {
  queueMessageIn(batch, { channel: 'email', recipient: order.customerEmail, template, ...text, data }, ctx.now);
  batch.insert('notifications', [
    notificationRow(
      {
        userId: order.userId,
        type: 'order_status_change',
        title: text.subject,
        message: text.body.split('\n\n')[0] ?? text.subject,
        data,
      },
      ctx.now,
    ),
  ]);
}
