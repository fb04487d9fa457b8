import type { OutboxChannel, OutboxStatus } from '@handover/contracts';
import { Order, OutboxMessage } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';
import { ConflictError, NotFoundError } from '../errors';
import { addJob, jobSpec } from '../jobs/addJob';
import { queueMessage } from '../notifications/outbox';

export interface OrderMessageView {
  id: string;
  channel: OutboxChannel;
  recipient: string;
  template: string;
  subject: string | null;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  createdAt: Date;
  /** The message this one is a copy of, when staff resent it. */
  resentFrom: string | null;
  /**
   * False for a message carrying a credential (a sign-in or reset link): never sent twice; and for
   * an operator-system message, which is sent again as it is rather than copied.
   */
  canResend: boolean;
  /** A failed operator-system message: staff may send that same row again (sendOrderMessageAgain). */
  canSendAgain: boolean;
}

/** The emails, texts and operator-system messages queued about an order (the outbox rows whose data names it), newest first. */
export async function listOrderMessages(em: EntityManager, orderId: string): Promise<OrderMessageView[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from outbox where data->>'orderId' = ? order by created_at desc, id desc limit 100`,
    [orderId],
  );
  if (rows.length === 0) return [];
  const messages = await em.find(
    OutboxMessage,
    { id: { $in: rows.map((row) => row.id) } },
    { orderBy: { createdAt: 'desc', id: 'desc' } },
  );
  return messages.map(toMessageView);
}

/**
 * Staff send an order's message again: a new outbox row with the same text, queued for
 * delivery; the original stays as it was. A message that carried a credential is not resent
 * (its text is blanked once sent, and a second live link is not ops' to hand out).
 */
export async function resendOrderMessage(
  em: EntityManager,
  actorId: string,
  input: { orderId: string; messageId: string },
): Promise<OrderMessageView> {
  return em.transactional(async (tem) => {
    const original = await tem.findOne(OutboxMessage, { id: input.messageId });
    if (!original || original.data.orderId !== input.orderId) {
      throw new NotFoundError('This order has no such message.');
    }
    const order = await tem.findOneOrFail(Order, { id: input.orderId });
    if (original.channel === OPERATOR_SYSTEM) {
      throw new ConflictError(
        'An operator-system message is not copied: when it has failed, send it again (the same message) instead.',
      );
    }
    if (!isResendable(original)) {
      throw new ConflictError('This message carried a sign-in or reset link; it cannot be sent again from here.');
    }
    if (original.status === 'pending') {
      throw new ConflictError('This message is still waiting to be sent; resend it once it has gone out or failed.');
    }
    const copy = await queueMessage(tem, {
      channel: original.channel,
      recipient: original.recipient,
      template: original.template,
      subject: original.subject ?? undefined,
      body: original.body,
      data: { ...withoutResendMarks(original.data), resentFrom: original.id, resentBy: actorId },
    });
    recordActivity(tem, {
      action: 'order.message_resent',
      subjectType: 'order',
      subjectId: order.id,
      actor: { type: 'user', id: actorId },
      description: `Resent "${original.subject ?? original.template}" to ${original.recipient}`,
      properties: { messageId: original.id, copyId: copy.id, template: original.template, channel: original.channel },
    });
    await tem.flush();
    return toMessageView(copy);
  });
}

/**
 * Staff send a failed operator-system message again: the same outbox row, set back to pending
 * with its attempts reset, and its send job queued, in one transaction with the activity row.
 * These messages are idempotent at the operator system (the checkout's Order is an upsert by the
 * Handover order id; the write-back a PATCH of the same Order, read as the order stands when
 * sent), so the same row is right, where an email is copied (resendOrderMessage). Only a failed
 * one: a pending one is still being tried, a sent one has landed.
 */
export async function sendOrderMessageAgain(
  em: EntityManager,
  actorId: string,
  input: { orderId: string; messageId: string },
  now: Date = new Date(),
): Promise<OrderMessageView> {
  return em.transactional(async (tem) => {
    // Locked, so a send that is finishing, or a second press, waits and then sees where it stands.
    const message = await tem.findOne(
      OutboxMessage,
      { id: input.messageId },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    if (!message || message.data.orderId !== input.orderId) {
      throw new NotFoundError('This order has no such message.');
    }
    if (message.channel !== OPERATOR_SYSTEM) {
      throw new ConflictError(
        'Only a message to the operator system is sent again as it is; an email or text is resent as a new copy.',
      );
    }
    if (message.status !== 'failed') {
      throw new ConflictError(
        message.status === 'pending'
          ? 'This message is still being sent; only a failed one can be sent again.'
          : 'This message already reached the operator system; only a failed one can be sent again.',
      );
    }
    const previous = { attempts: message.attempts, lastError: message.lastError ?? null };
    message.status = 'pending';
    message.attempts = 0;
    message.lastError = null;
    message.sendStartedAt = null;
    message.updatedAt = now;
    await addJob(tem, jobSpec('send_outbox', { messageId: message.id }));
    recordActivity(tem, {
      action: 'order.message_sent_again',
      subjectType: 'order',
      subjectId: input.orderId,
      actor: { type: 'user', id: actorId },
      description: `Sent "${message.subject ?? message.template}" to the operator system again`,
      properties: {
        messageId: message.id,
        template: message.template,
        channel: message.channel,
        previousAttempts: previous.attempts,
        previousError: previous.lastError,
      },
    });
    await tem.flush();
    return toMessageView(message);
  });
}

const OPERATOR_SYSTEM = 'operator_system';

function isResendable(message: OutboxMessage): boolean {
  return message.data.sensitive !== true && message.channel !== OPERATOR_SYSTEM;
}

function withoutResendMarks(data: Record<string, unknown>): Record<string, unknown> {
  const { resentFrom: _from, resentBy: _by, ...rest } = data;
  return rest;
}

function toMessageView(message: OutboxMessage): OrderMessageView {
  return {
    id: message.id,
    channel: message.channel,
    recipient: message.recipient,
    template: message.template,
    subject: message.subject ?? null,
    status: message.status,
    attempts: message.attempts,
    lastError: message.lastError ?? null,
    sentAt: message.sentAt ?? null,
    createdAt: message.createdAt,
    resentFrom: typeof message.data.resentFrom === 'string' ? message.data.resentFrom : null,
    canResend: isResendable(message) && message.status !== 'pending',
    canSendAgain: message.channel === OPERATOR_SYSTEM && message.status === 'failed',
  };
}
