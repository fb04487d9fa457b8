import { WEBHOOK_ATTEMPT_TRIGGERS, WEBHOOK_DELIVERY_STATUSES, type WebhookEventPattern } from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, updatedAt, uuidPk } from './common';
import { DomainEvent } from './events';
import { User } from './users';

/**
 * An outside endpoint that hears about events: a customer's (their own orders' events) or an
 * admin's (every order's). Its signing secret is encrypted at rest; after a rotation the previous
 * one signs too until `previousSecretExpiresAt`.
 */
export const WebhookEndpoint = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoints',
  properties: {
    id: uuidPk(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    /** True for an admin's endpoint, which hears about every order; false: the owner's orders only. */
    allOrders: p.boolean().default(false),
    url: p.text(),
    description: p.string().length(200).nullable(),
    events: p.array<WebhookEventPattern>(),
    secretEncrypted: p.text(),
    previousSecretEncrypted: p.text().nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    /** Set when deliveries kept failing (or a person turned it off); nothing is sent while set. */
    disabledAt: p.datetime().nullable(),
    disabledReason: p.text().nullable(),
    /** The first failed attempt since the last success; cleared by a success. */
    failingSince: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type WebhookEndpoint = InferEntity<typeof WebhookEndpoint>;

/** One event for one endpoint: its payload as sent (the same on every attempt) and where it stands. */
export const WebhookDelivery = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  uniques: [{ properties: ['endpoint', 'event', 'eventType'] }],
  indexes: [{ properties: ['endpoint', 'createdAt'] }],
  properties: {
    id: uuidPk(),
    endpoint: () => p.manyToOne(WebhookEndpoint).deleteRule('cascade'),
    event: () => p.manyToOne(DomainEvent).deleteRule('cascade').index(),
    eventType: p.string().length(64),
    /** The `webhook-id` header: the same on every attempt, so the receiver can drop repeats. */
    messageId: p.string().length(64).unique(),
    payload: p.json<Record<string, unknown>>(),
    status: oneOf(WEBHOOK_DELIVERY_STATUSES).default('pending'),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime().nullable(),
    lastResponseStatus: p.integer().nullable(),
    lastError: p.text().nullable(),
    deliveredAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type WebhookDelivery = InferEntity<typeof WebhookDelivery>;

/** One HTTP request of a delivery and its answer (or why there was none), for the deliveries list. */
export const WebhookAttempt = defineEntity({
  name: 'WebhookAttempt',
  tableName: 'webhook_attempts',
  indexes: [{ properties: ['delivery', 'attemptedAt'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    delivery: () => p.manyToOne(WebhookDelivery).deleteRule('cascade'),
    trigger: oneOf(WEBHOOK_ATTEMPT_TRIGGERS),
    url: p.text(),
    requestHeaders: p.json<Record<string, string>>(),
    responseStatus: p.integer().nullable(),
    responseHeaders: p.json<Record<string, string>>().nullable(),
    /** The answer's first few kilobytes. */
    responseBody: p.text().nullable(),
    error: p.text().nullable(),
    durationMs: p.integer(),
    attemptedAt: p.datetime(),
  },
});
export type WebhookAttempt = InferEntity<typeof WebhookAttempt>;

/**
 * How far the dispatcher has read the domain events: the (transaction id, event id) of the last
 * one it turned into deliveries. One row.
 */
export const WebhookDispatchCursor = defineEntity({
  name: 'WebhookDispatchCursor',
  tableName: 'webhook_dispatch_cursor',
  properties: {
    id: p.smallint().primary().autoincrement(false),
    txid: p.bigint('number'),
    eventId: p.uuid(),
    updatedAt: updatedAt(),
  },
});
export type WebhookDispatchCursor = InferEntity<typeof WebhookDispatchCursor>;
