import type { WriteBatch } from '../database/writeBatch';
import type { DomainEvent, ListenerContext } from '../events/domainEvents';
import { raiseAlertIn } from './alerts';

/** Ops are alerted when a record fails for good (seed 000's admin_alerts `fulfillment_failure`). */
export function alertOpsOfFailures(event: DomainEvent, batch: WriteBatch, ctx: ListenerContext): void {
  if (event.type !== 'fulfillment.failed') return;
  const { record } = event;
  raiseAlertIn(
    batch,
    {
      type: 'fulfillment_failure',
      severity: 'critical',
      message: `Order ${record.orderCode} failed: ${record.item}: ${event.reason}`,
      subjectType: 'fulfillment_record',
      subjectId: record.recordId,
      data: { orderId: record.orderId, driver: record.driver, code: event.code },
    },
    ctx.now,
  );
}
