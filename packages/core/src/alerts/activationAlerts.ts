import type { WriteBatch } from '../database/writeBatch';
import type { DomainEvent, ListenerContext } from '../events/domainEvents';
import { raiseAlertIn } from './alerts';

/**
 * Ops are alerted when a scheduled activation's preflight finds something missing (seed 004 5a),
 * once per order while the alert is open, and when what a customer asked of a record failed.
 */
export function alertOpsOfActivation(event: DomainEvent, batch: WriteBatch, ctx: ListenerContext): void {
  if (event.type === 'activation.preflight_failed') {
    const { order } = event;
    raiseAlertIn(
      batch,
      {
        type: 'activation_preflight_failed',
        severity: 'warning',
        message: `Order ${order.orderCode} is due to be activated ${event.activation.at ?? ''} (${event.activation.timeZone ?? 'UTC'}) but ${event.problems.map((problem) => problem.detail).join('; ')}`,
        subjectType: 'order',
        subjectId: order.orderId,
        data: { problems: event.problems.map((problem) => problem.check), activateAt: event.activation.at },
        dedupeKey: `activation_preflight:${order.orderId}`,
      },
      ctx.now,
    );
  } else if (event.type === 'fulfillment.action_failed') {
    const { record } = event;
    raiseAlertIn(
      batch,
      {
        type: 'record_action_failed',
        severity: 'warning',
        message: `Order ${record.orderCode}: ${event.action} of ${record.item} failed: ${event.reason}`,
        subjectType: 'fulfillment_record',
        subjectId: record.recordId,
        data: { orderId: record.orderId, action: event.action, code: event.code },
      },
      ctx.now,
    );
  }
}
