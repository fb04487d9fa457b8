import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, uuidPk } from './common';
import { PAYMENT_EVENT_STATUSES, PAYMENT_GATEWAYS } from './status';

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
