import { OUTBOX_CHANNELS, OUTBOX_STATUSES } from '@handover/contracts';
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
  indexes: [{ properties: ['status', 'createdAt'] }],
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
    sentAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type OutboxMessage = InferEntity<typeof OutboxMessage>;
