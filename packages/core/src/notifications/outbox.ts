import { randomUUID } from 'node:crypto';
import type { OutboxChannel } from '@handover/contracts';
import { Notification, OutboxMessage, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WriteBatch } from '../database/writeBatch';
import { addJob, jobSpec } from '../jobs/addJob';

export interface QueuedMessage {
  channel: OutboxChannel;
  /** An email address or an E.164 phone number. */
  recipient: string;
  /** Names what the message is (`password_reset`, `fulfillment_failed`, ...), for logs and tests. */
  template: string;
  subject?: string;
  /** Rendered text: the sender sends it as is. */
  body: string;
  data?: Record<string, unknown>;
  /** A message with this key is queued once: see OutboxMessage.dedupeKey. */
  dedupeKey?: string;
}

/**
 * Writes an email or SMS to the outbox and enqueues its delivery, in `em`'s transaction:
 * the message goes out if and only if the change it tells about commits.
 */
export async function queueMessage(em: EntityManager, message: QueuedMessage): Promise<OutboxMessage> {
  const row = em.create(OutboxMessage, {
    channel: message.channel,
    recipient: message.recipient,
    template: message.template,
    subject: message.subject ?? null,
    body: message.body,
    data: message.data ?? {},
    dedupeKey: message.dedupeKey ?? null,
  });
  await addJob(em, jobSpec('send_outbox', { messageId: row.id }, { newRow: true }));
  return row;
}

/** The same message as an outbox row and its delivery job, added to a WriteBatch. */
export function queueMessageIn(batch: WriteBatch, message: QueuedMessage, now: Date): void {
  const id = randomUUID();
  batch.insert('outbox', [
    {
      id,
      channel: message.channel,
      recipient: message.recipient,
      template: message.template,
      subject: message.subject ?? null,
      body: message.body,
      data: message.data ?? {},
      created_at: now,
      updated_at: now,
    },
  ]);
  batch.jobs([jobSpec('send_outbox', { messageId: id }, { newRow: true })]);
}

export interface InAppNotice {
  userId: string;
  /** e.g. `order_status_change`, `email_created` (seed 001's notification types). */
  type: string;
  title: string;
  message: string;
  data?: Record<string, unknown>;
}

/** An in-app notification in the customer's notification centre. Flushed with `em`. */
export function notifyInApp(em: EntityManager, notice: InAppNotice): Notification {
  return em.create(Notification, {
    user: em.getReference(User, notice.userId),
    type: notice.type,
    title: notice.title,
    message: notice.message,
    data: notice.data ?? {},
  });
}

/** The same notice as a notifications row, for a WriteBatch (the payment webhook's one-statement writes). */
export function notificationRow(notice: InAppNotice, now: Date): Record<string, unknown> {
  return {
    id: randomUUID(),
    user_id: notice.userId,
    type: notice.type,
    title: notice.title,
    message: notice.message,
    data: notice.data ?? {},
    created_at: now,
  };
}
