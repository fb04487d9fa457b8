import { alertOpsOfActivation } from '../alerts/activationAlerts';
import { alertOpsOfFailures } from '../alerts/fulfillmentAlerts';
import type { WriteBatch } from '../database/writeBatch';
import { endSubscribedDelivery } from '../fulfillment/endDelivery';
import { notifyCustomerOfFulfillment } from '../notifications/fulfillmentNotices';
import { notifyCustomerOfPayment } from '../notifications/paymentNotices';
import { notifyCustomerOfReviewAndActivation } from '../notifications/reviewNotices';
import { createOperatorOrderAtCheckout } from '../operatorSystem/checkoutOrders';
import { writeBackToOperatorSystem } from '../operatorSystem/writeBack';
import { placePaidOrder } from '../orders/paidOrders';
import { refundRefusedOrder } from '../refunds/refusedOrders';
import { creditPaidTopUp } from '../wallet/topUps';
import {
  type DomainEvent,
  domainEventRow,
  type Listener,
  type ListenerContext,
  type Reaction,
  type ReactionContext,
} from './domainEvents';

/** Who reacts to domain events in the transaction that raises them, by adding rows to its batch. */
const LISTENERS: readonly Listener[] = [
  notifyCustomerOfFulfillment,
  notifyCustomerOfPayment,
  alertOpsOfFailures,
  notifyCustomerOfReviewAndActivation,
  alertOpsOfActivation,
  writeBackToOperatorSystem,
  createOperatorOrderAtCheckout,
];

/** Who reacts by changing more than rows: run in this order, each awaited. */
const REACTIONS: readonly Reaction[] = [placePaidOrder, refundRefusedOrder, creditPaidTopUp, endSubscribedDelivery];

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

/**
 * Publishes `event` and runs every reaction to it, in the caller's transaction: what they write
 * commits with the change that raised it, or not at all. A reaction may raise events of its own.
 */
export async function raise(
  ctx: Omit<ReactionContext, 'raise' | 'portalUrl'> & { portalUrl?: string },
  event: DomainEvent,
): Promise<void> {
  const full: ReactionContext = { ...ctx, portalUrl: ctx.portalUrl ?? '', raise: (next) => raise(ctx, next) };
  publish(ctx.batch, [event], full);
  for (const reaction of REACTIONS) await reaction(event, full);
}
