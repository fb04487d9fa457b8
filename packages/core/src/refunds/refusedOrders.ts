import { randomUUID } from 'node:crypto';
import { activityLogRow, SYSTEM } from '../activity/activity';
import type { DomainEvent, ReactionContext } from '../events/domainEvents';
import { jobSpec } from '../jobs/addJob';

/**
 * `order.refused`: the whole payment goes back the way it came. The refund row is written with
 * the order; the worker sends it to the gateway (`refund_payment`, the refund's id as the
 * idempotency key), and its amounts move when the gateway says it went through.
 */
export async function refundRefusedOrder(event: DomainEvent, ctx: ReactionContext): Promise<void> {
  if (event.type !== 'order.refused') return;
  const refundId = randomUUID();
  const reason = `Not accepted at payment: ${event.reason}`;
  ctx.batch.insert('refunds', [
    {
      id: refundId,
      order_id: event.order.orderId,
      payment_id: event.paymentId,
      gateway: event.gateway,
      amount_minor: event.amountMinor,
      currency: event.currency,
      destination: 'gateway',
      status: 'pending',
      reason,
      cancel_fulfillment: false,
      created_at: ctx.now,
      updated_at: ctx.now,
    },
  ]);
  ctx.batch.insert('activity_logs', [
    activityLogRow(
      {
        action: 'refund.requested',
        subjectType: 'order',
        subjectId: event.order.orderId,
        actor: SYSTEM,
        description: reason,
        properties: { refundId, amountMinor: event.amountMinor, destination: 'gateway', paymentId: event.paymentId },
      },
      ctx.now,
    ),
  ]);
  ctx.batch.jobs([jobSpec('refund_payment', { refundId }, { newRow: true })]);
}
