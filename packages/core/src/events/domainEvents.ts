import { randomUUID } from 'node:crypto';
import type {
  ActivationType,
  FulfillmentStatus,
  OrderFulfillmentStatus,
  OrderStatus,
  PaymentGatewayName,
  PendingOrderPurpose,
  PendingOrderStatus,
  RefundDestination,
  ReviewDecision,
} from '@handover/contracts';
import type { PendingOrderLine, PreflightProblem, Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WriteBatch } from '../database/writeBatch';
import type { DriverRegistry } from '../fulfillment/registry';

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
  | 'lifecycle'
  /** Seed 004 5a: the activation date came. */
  | 'schedule';

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

/** Money that came in, as the payments row records it. */
export interface PaymentFacts {
  /** The payments row. */
  id: string;
  gateway: PaymentGatewayName;
  /** The gateway's id of the money movement. */
  gatewayPaymentId: string;
  /** The gateway event that told us. */
  eventId: string;
  amountMinor: number;
  currency: string;
  /** The subscriptions row the payment started, for a recurring product. */
  subscriptionId: string | null;
}

/** The checkout a payment paid for. */
export interface CheckoutFacts {
  pendingOrderId: string;
  purpose: PendingOrderPurpose;
  /** The customer's account (made by the payment when the email was new). */
  userId: string;
  email: string;
  phone: string | null;
  amountMinor: number;
  currency: string;
  isTest: boolean;
  /** What the checkout was before this payment (`expired`: paid after the gateway's page closed). */
  previousStatus: PendingOrderStatus;
  /** The order this payment pays for: the id it takes when it is placed; null for a wallet top-up. */
  orderId: string | null;
}

/** A paid checkout's lines and products as read under its lock, for listeners in the same transaction; never stored. */
export interface PaidBasket {
  lines: PendingOrderLine[];
  products: Pick<Product, 'id' | 'name' | 'fulfillmentDriver' | 'retryPolicy' | 'requiresReview'>[];
}

/** When an order's service is activated, as events tell it: the instant (ISO) and its zone. */
export interface ActivationFacts {
  type: ActivationType;
  at: string | null;
  timeZone: string | null;
}

/** What happened, as listeners and outside subscribers read it. */
export type DomainEvent =
  | { type: 'payment.received'; payment: PaymentFacts; checkout: CheckoutFacts; basket: PaidBasket }
  | {
      type: 'order.placed';
      order: OrderFacts;
      /** How many fulfillment records it starts (none when it was handed to a person). */
      records: number;
      needsReview: boolean;
      /** Seed 004: a product of it is reviewed in the operator system, where its order is made. */
      reviewedInOperatorSystem?: boolean;
      paymentId: string | null;
      /** What was paid and how: the customer's receipt. */
      amountMinor: number;
      currency: string;
      gateway: PaymentGatewayName;
    }
  | {
      type: 'order.refused';
      order: OrderFacts;
      /** Why, in the customer's words: what the order's checks refused at payment. */
      reason: string;
      /** The payments row to refund in full. */
      paymentId: string;
      gateway: PaymentGatewayName;
      amountMinor: number;
      currency: string;
    }
  | {
      type: 'wallet.topped_up';
      userId: string;
      pendingOrderId: string;
      amountMinor: number;
      currency: string;
      balanceAfterMinor: number;
    }
  | {
      type: 'subscription.renewed';
      order: OrderFacts;
      gatewaySubscriptionId: string;
      amountMinor: number;
      currency: string;
      /** The renewal paid a subscription past due or suspended, which is restored (and its customer told so). */
      restoredFrom?: 'past_due' | 'suspended';
    }
  | { type: 'subscription.ended'; order: OrderFacts; subscriptionId: string; gatewaySubscriptionId: string }
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
  | { type: 'domain.verified'; record: RecordFacts; domain: string; orderActive: boolean }
  | {
      type: 'refund.completed';
      order: OrderFacts;
      refund: { id: string; amountMinor: number; currency: string; destination: RefundDestination; reason: string };
      /** The order's status after the refund: `partially_refunded` or `refunded`. */
      orderStatus: OrderStatus;
    }
  /** Seed 004: an operator approved or rejected an order that waited for review. */
  | {
      type: 'order.review_decided';
      order: OrderFacts;
      decision: ReviewDecision;
      reason: string | null;
      activation: ActivationFacts | null;
      /** What goes back to the customer on a rejection. */
      refund: { amountMinor: number; currency: string } | null;
    }
  /** Seed 004 5a: the preflight before a scheduled activation found something missing. */
  | {
      type: 'activation.preflight_failed';
      order: OrderFacts;
      activation: ActivationFacts;
      problems: PreflightProblem[];
    }
  /** What a failed preflight found missing is there now. */
  | { type: 'activation.preflight_passed'; order: OrderFacts; activation: ActivationFacts }
  /** Something asked of a delivered record (an eSIM reissued) was done, or could not be. */
  | { type: 'fulfillment.action_completed'; record: RecordFacts; action: string; message: string }
  | { type: 'fulfillment.action_failed'; record: RecordFacts; action: string; reason: string; code: string };

export type DomainEventType = DomainEvent['type'];

/** What an event is about, for the outbox row (and the subscribers that filter on it). */
function subjectOf(event: DomainEvent): { subject_type: string; subject_id: string } {
  if ('record' in event) return { subject_type: 'fulfillment_record', subject_id: event.record.recordId };
  if ('order' in event) return { subject_type: 'order', subject_id: event.order.orderId };
  if (event.type === 'payment.received') return { subject_type: 'payment', subject_id: event.payment.id };
  return { subject_type: 'user', subject_id: event.userId };
}

/** The facts an event keeps in the outbox: what listeners read in the transaction only (a basket) stays out. */
function storedPayload(event: DomainEvent): object {
  if (event.type !== 'payment.received') return event;
  const { basket: _basket, ...stored } = event;
  return stored;
}

/** The domain_events row of an event, for a WriteBatch in the transaction that raised it. */
export function domainEventRow(event: DomainEvent, now: Date): Record<string, unknown> {
  return { id: randomUUID(), type: event.type, ...subjectOf(event), payload: storedPayload(event), created_at: now };
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

/** The transaction an event is raised in, for reactions that read and change more than rows of a batch. */
export interface ReactionContext extends ListenerContext {
  /** The transaction's entity manager. */
  em: EntityManager;
  registry: DriverRegistry;
  /** Rows written with the transaction's other writes. */
  batch: WriteBatch;
  /** Raises what a reaction made happen (an order placed), in the same transaction. */
  raise(event: DomainEvent): Promise<void>;
}

/** A reaction that reads or changes the database (placing the order a payment paid for). */
export type Reaction = (event: DomainEvent, ctx: ReactionContext) => Promise<void>;
