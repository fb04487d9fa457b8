import type { OutboxChannel, OutboxStatus } from '@handover/contracts';
import { Order, OutboxMessage } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';
import { ConflictError, NotFoundError } from '../errors';
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
  /** False for a message carrying a credential (a sign-in or reset link): never sent twice. */
  canResend: boolean;
}

/** The emails and texts queued about an order (the outbox rows whose data names it), newest first. */
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

function isResendable(message: OutboxMessage): boolean {
  return message.data.sensitive !== true;
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
  };
}
