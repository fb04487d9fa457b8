import {
  PAYMENT_EVENT_STATUSES,
  PAYMENT_GATEWAYS,
  PAYMENT_PURPOSES,
  PAYMENT_STATUSES,
  REFUND_DESTINATIONS,
  REFUND_STATUSES,
  SUBSCRIPTION_STATUSES,
} from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, updatedAt, uuidPk } from './common';
import { Order } from './orders';
import { User } from './users';

/**
 * The webhook inbox: one row per (gateway, event id), so a redelivered event is
 * recognised and changes nothing. Rejected (unverifiable) deliveries are logged with no event id.
 */
export const PaymentEvent = defineEntity({
  name: 'PaymentEvent',
  tableName: 'payment_events',
  uniques: [{ properties: ['gateway', 'eventId'] }],
  properties: {
    id: uuidPk(),
    gateway: oneOf(PAYMENT_GATEWAYS),
    eventId: p.string().nullable(),
    type: p.string().nullable(),
    status: oneOf(PAYMENT_EVENT_STATUSES).default('received'),
    orderId: p.uuid().nullable().index(),
    pendingOrderId: p.uuid().nullable().index(),
    paymentId: p.string().nullable(),
    payload: p.json<Record<string, unknown>>().nullable(),
    error: p.text().nullable(),
    attempts: p.integer().default(0),
    processedAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
});
export type PaymentEvent = InferEntity<typeof PaymentEvent>;

/**
 * A subscription at its gateway (seed 003 `is_recurring`): renewals add payments; a failed one
 * starts a grace period (`past_due`), after which delivery is suspended until it is paid; its
 * end suspends delivery.
 */
export const Subscription = defineEntity({
  name: 'Subscription',
  tableName: 'subscriptions',
  uniques: [{ properties: ['gateway', 'gatewaySubscriptionId'] }],
  indexes: [{ properties: ['status', 'graceEndsAt'] }],
  properties: {
    id: uuidPk(),
    /** The order that started it; its fulfillment records are what the subscription keeps running. */
    order: () => p.manyToOne(Order).deleteRule('cascade').index(),
    user: () => p.manyToOne(User).index(),
    gateway: oneOf(PAYMENT_GATEWAYS),
    gatewaySubscriptionId: p.string(),
    status: oneOf(SUBSCRIPTION_STATUSES).default('active'),
    lastRenewedAt: p.datetime().nullable(),
    /** The end of the period paid for, when the gateway or a renewal told us; else derived from the product's interval. */
    currentPeriodEnd: p.datetime().nullable(),
    /** The customer asked to stop at the end of the period paid for; the gateway ends it then. */
    cancelAtPeriodEnd: p.boolean().default(false),
    cancelRequestedAt: p.datetime().nullable(),
    /** Set while `past_due`: when delivery is suspended if the renewal is still unpaid. */
    graceEndsAt: p.datetime().nullable(),
    lastPaymentFailedAt: p.datetime().nullable(),
    lastPaymentError: p.text().nullable(),
    /** Grace-period reminders sent since the renewal failed. */
    remindersSent: p.integer().default(0),
    lastReminderAt: p.datetime().nullable(),
    suspendedAt: p.datetime().nullable(),
    cancelledAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Subscription = InferEntity<typeof Subscription>;

/** Money that came in through a gateway (or out of a wallet), once per gateway payment id. */
export const Payment = defineEntity({
  name: 'Payment',
  tableName: 'payments',
  uniques: [{ properties: ['gateway', 'gatewayPaymentId'] }],
  indexes: [{ properties: ['paidAt'] }],
  properties: {
    id: uuidPk(),
    /** Null for a wallet top-up. */
    order: () => p.manyToOne(Order).nullable().deleteRule('cascade').index(),
    user: () => p.manyToOne(User).index(),
    subscription: () => p.manyToOne(Subscription).nullable(),
    gateway: oneOf(PAYMENT_GATEWAYS),
    /** The gateway's id of the money movement (PaymentIntent, capture, invoice, ...), used for refunds. */
    gatewayPaymentId: p.string(),
    purpose: oneOf(PAYMENT_PURPOSES),
    amountMinor: p.integer(),
    refundedMinor: p.integer().default(0),
    currency: p.string().length(3),
    status: oneOf(PAYMENT_STATUSES).default('succeeded'),
    paidAt: p.datetime(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Payment = InferEntity<typeof Payment>;

/**
 * A refund of (part of) a payment, asked for by staff or reported by the gateway. Amounts move
 * on the payment and the order only when it succeeds.
 */
export const Refund = defineEntity({
  name: 'Refund',
  tableName: 'refunds',
  uniques: [{ properties: ['gateway', 'gatewayRefundId'] }],
  properties: {
    id: uuidPk(),
    order: () => p.manyToOne(Order).deleteRule('cascade').index(),
    payment: () => p.manyToOne(Payment).deleteRule('cascade').index(),
    gateway: oneOf(PAYMENT_GATEWAYS),
    /** Set once the gateway has named the refund; null while the request is on its way. */
    gatewayRefundId: p.string().nullable(),
    amountMinor: p.integer(),
    currency: p.string().length(3),
    destination: oneOf(REFUND_DESTINATIONS),
    status: oneOf(REFUND_STATUSES).default('pending'),
    reason: p.text().default(''),
    /** Stop or undo the order's delivery once the refund succeeds. */
    cancelFulfillment: p.boolean().default(false),
    /** Null when the refund was made at the gateway and reported by its webhook. */
    requestedBy: () => p.manyToOne(User).nullable(),
    lastError: p.text().nullable(),
    completedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Refund = InferEntity<typeof Refund>;
