import { alertOpsOfFailures } from '../alerts/fulfillmentAlerts';
import type { WriteBatch } from '../database/writeBatch';
import { notifyCustomerOfFulfillment } from '../notifications/fulfillmentNotices';
import { type DomainEvent, domainEventRow, type Listener, type ListenerContext } from './domainEvents';

/** Who reacts to domain events in the transaction that raises them. */
const LISTENERS: readonly Listener[] = [notifyCustomerOfFulfillment, alertOpsOfFailures];

/**
 * Puts `events` in the domain events outbox and lets every listener add its rows, all to
 * `batch`, which the caller executes in the transaction of the change the events tell about.
 */
export function publish(batch: WriteBatch, events: readonly DomainEvent[], ctx: ListenerContext): void {
  if (events.length === 0) return;
  batch.insert(
    'domain_events',
    events.map((event) => domainEventRow(event, ctx.now)),
  );
  for (const event of events) for (const listener of LISTENERS) listener(event, batch, ctx);
}
