import { OUTBOX_CHANNELS, OUTBOX_STATUSES, SMS_DELIVERY_STATUSES, SMS_OPT_OUT_SOURCES } from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, updatedAt, uuidPk } from './common';
import { User } from './users';

/** In-app notifications (seed 001's notifications table). */
export const Notification = defineEntity({
  name: 'Notification',
  tableName: 'notifications',
  indexes: [{ properties: ['user', 'createdAt'] }],
  properties: {
    id: uuidPk(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    type: p.string().length(64),
    title: p.string(),
    message: p.text(),
    data: p.json<Record<string, unknown>>().defaultRaw(`'{}'`),
    readAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
});
export type Notification = InferEntity<typeof Notification>;

/** Email and SMS to send, written in the same transaction as the change they tell about. */
export const OutboxMessage = defineEntity({
  name: 'OutboxMessage',
  tableName: 'outbox',
  indexes: [
    { properties: ['status', 'createdAt'] },
    // The back office lists an order's messages (and resends one) by the order they are about.
    {
      name: 'outbox_order_id_index',
      expression: `create index "outbox_order_id_index" on "outbox" ((data->>'orderId'), "created_at")`,
    },
  ],
  properties: {
    id: uuidPk(),
    channel: oneOf(OUTBOX_CHANNELS),
    recipient: p.string(),
    template: p.string().length(64),
    subject: p.string().nullable(),
    body: p.text(),
    data: p.json<Record<string, unknown>>().defaultRaw(`'{}'`),
    status: oneOf(OUTBOX_STATUSES).default('pending'),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    providerMessageId: p.string().nullable(),
    /**
     * Set, and committed, just before the message is handed to the relay; cleared with the
     * outcome. Found set by the next attempt, it means a send whose outcome was never recorded
     * (the worker died in between): that message may have gone out already.
     */
    sendStartedAt: p.datetime().nullable(),
    /** Sends made after an unrecorded one: possible duplicates, counted rather than assumed away. */
    uncertainSends: p.integer().default(0),
    sentAt: p.datetime().nullable(),
    /**
     * Set when the message must go out at most once whatever happens to the code that queues it
     * (a step run again after a crash): a second message with the key is not queued.
     */
    dedupeKey: p.string().nullable().unique(),
    /** A text's status at the network, from its delivery report; null for email and unsent texts. */
    deliveryStatus: oneOf(SMS_DELIVERY_STATUSES).nullable(),
    deliveryUpdatedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type OutboxMessage = InferEntity<typeof OutboxMessage>;

/** Numbers that are never texted (E.164), whoever asked: the outbox drops texts to them unsent. */
export const SmsOptOut = defineEntity({
  name: 'SmsOptOut',
  tableName: 'sms_opt_outs',
  properties: {
    phoneNumber: p.string().length(32).primary(),
    source: oneOf(SMS_OPT_OUT_SOURCES),
    /** Who turned texts off, when a person did it from their account or the back office. */
    user: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: createdAt(),
  },
});
export type SmsOptOut = InferEntity<typeof SmsOptOut>;
