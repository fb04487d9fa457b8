import { randomUUID } from 'node:crypto';
import type { FulfillmentStatus, OrderFulfillmentStatus } from '@handover/contracts';
import type { WriteBatch } from '../database/writeBatch';

/** Who or what made a record change: the rules of transitions.ts name which may make which. */
export type TransitionCause =
  /** The fulfillment engine running the driver's steps. */
  | 'engine'
  /** Staff in the back office, or an operator system through the signed API. */
  | 'operator'
  /** The customer, from the portal (resubmitting a corrected draft). */
  | 'customer'
  /** A check of the outside world (the DNS check seeing the customer's nameservers). */
  | 'provider'
  /** What the money did afterwards: a subscription ended, an order was refunded. */
  | 'lifecycle';

/** A fulfillment record as events name it: enough for a listener to tell the customer without a query. */
export interface RecordFacts {
  recordId: string;
  orderId: string;
  orderCode: string;
  customerEmail: string;
  userId: string;
  driver: string;
  subject: string | null;
  /** The product, with the record's subject when it has one: "Microsoft 365 email domain (shop.com)". */
  item: string;
}

export interface OrderFacts {
  orderId: string;
  orderCode: string;
  customerEmail: string;
  userId: string;
}

/** What happened, as listeners and outside subscribers read it. */
export type DomainEvent =
  | {
      type: 'fulfillment.status_changed';
      record: RecordFacts;
      from: FulfillmentStatus;
      to: FulfillmentStatus;
      reason: string | null;
      by: TransitionCause;
    }
  | { type: 'fulfillment.step_completed'; record: RecordFacts; step: string }
  | { type: 'fulfillment.retrying'; record: RecordFacts; at: Date; notifyCustomer: boolean }
  | { type: 'fulfillment.failed'; record: RecordFacts; reason: string; code: string }
  | {
      type: 'order.fulfillment_status_changed';
      order: OrderFacts;
      from: OrderFulfillmentStatus;
      to: OrderFulfillmentStatus;
      by: TransitionCause;
    }
  | { type: 'domain.verified'; record: RecordFacts; domain: string; orderActive: boolean };

export type DomainEventType = DomainEvent['type'];

/** The domain_events row of an event, for a WriteBatch in the transaction that raised it. */
export function domainEventRow(event: DomainEvent, now: Date): Record<string, unknown> {
  const subject =
    'record' in event
      ? { subject_type: 'fulfillment_record', subject_id: event.record.recordId }
      : { subject_type: 'order', subject_id: event.order.orderId };
  return { id: randomUUID(), type: event.type, ...subject, payload: event, created_at: now };
}

/** What the listeners of an event may need beyond the event. */
export interface ListenerContext {
  /** The customer portal, for links in messages. */
  portalUrl: string;
  now: Date;
}

/**
 * Reacts to an event inside the transaction that raised it, by adding rows to `batch`
 * (messages, notifications, alerts): they commit together or not at all.
 */
export type Listener = (event: DomainEvent, batch: WriteBatch, ctx: ListenerContext) => void;
