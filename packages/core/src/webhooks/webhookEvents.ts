import type { WebhookEventType, WebhookPayload } from '@handover/contracts';
import type { DomainEvent, OrderFacts, RecordFacts } from '../events/domainEvents';

/** A domain_events row as the dispatcher reads it. */
export interface StoredDomainEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** What one domain event tells outside subscribers: the event they subscribe to, and whose order it is about. */
export interface OutgoingWebhookEvent {
  type: WebhookEventType;
  /** The customer whose order the event is about: their own endpoints hear it, as do admins'. */
  ownerId: string;
  payload: WebhookPayload;
}

/** The domain events some webhook event comes from, for the dispatcher's query. */
export const WEBHOOK_SOURCE_EVENTS = [
  'order.placed',
  'fulfillment.step_completed',
  'fulfillment.status_changed',
  'fulfillment.failed',
  'refund.completed',
  'subscription.renewed',
  'subscription.ended',
] as const satisfies readonly DomainEvent['type'][];

const DELIVERED = ['completed', 'active'];

const order = (facts: OrderFacts) => ({ id: facts.orderId, code: facts.orderCode, customerEmail: facts.customerEmail });

const record = (facts: RecordFacts) => ({
  id: facts.recordId,
  driver: facts.driver,
  subject: facts.subject,
  item: facts.item,
  order: { id: facts.orderId, code: facts.orderCode },
});

/**
 * The webhook events a domain event stands for (none for most): `order.placed` is an order
 * paid; a record reaching `completed` or `active` from anything but a delivered state is a
 * delivery completed; the rest keep their names.
 */
export function webhookEventsOf(stored: StoredDomainEvent): OutgoingWebhookEvent[] {
  // The row holds the event as it was raised, its dates as text.
  const event = stored.payload as unknown as DomainEvent;
  const timestamp = stored.createdAt.toISOString();
  const one = <T extends WebhookEventType>(type: T, ownerId: string, data: WebhookPayload<T>['data']) => [
    { type, ownerId, payload: { type, timestamp, data } as WebhookPayload },
  ];
  switch (event.type) {
    case 'order.placed':
      return one('order.paid', event.order.userId, {
        order: order(event.order),
        paymentId: event.paymentId,
        fulfillmentRecords: event.records,
        needsReview: event.needsReview,
      });
    case 'fulfillment.step_completed':
      return one('fulfillment.step_completed', event.record.userId, { record: record(event.record), step: event.step });
    case 'fulfillment.status_changed':
      if (!DELIVERED.includes(event.to) || [...DELIVERED, 'suspended'].includes(event.from)) return [];
      return one('fulfillment.completed', event.record.userId, { record: record(event.record), status: event.to });
    case 'fulfillment.failed':
      return one('fulfillment.failed', event.record.userId, {
        record: record(event.record),
        reason: event.reason,
        code: event.code,
      });
    case 'refund.completed':
      return one('refund.completed', event.order.userId, {
        order: order(event.order),
        refund: event.refund,
        orderStatus: event.orderStatus,
      });
    case 'subscription.renewed':
      return one('subscription.renewed', event.order.userId, {
        order: order(event.order),
        gatewaySubscriptionId: event.gatewaySubscriptionId,
        amountMinor: event.amountMinor,
        currency: event.currency,
      });
    case 'subscription.ended':
      return one('subscription.ended', event.order.userId, {
        order: order(event.order),
        subscriptionId: event.subscriptionId,
        gatewaySubscriptionId: event.gatewaySubscriptionId,
      });
    default:
      return [];
  }
}
