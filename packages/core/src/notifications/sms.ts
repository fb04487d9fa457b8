import type { SmsDeliveryStatus, SmsOptOutSource } from '@handover/contracts';
import { OutboxMessage, SmsOptOut } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { addJob, jobSpec } from '../jobs/addJob';
import { queueMessage } from './outbox';

export interface QueuedSms {
  /** E.164 (`+233271234567`). */
  to: string;
  /** Names the text (`bundle_delivered`), for logs, tests and the back office. */
  template: string;
  body: string;
  data?: Record<string, unknown>;
  /** Queues the text at most once, whatever queues it again (a step run again after a crash). */
  dedupeKey?: string;
}

/**
 * A text through the outbox's `sms` channel, in `em`'s transaction. Nothing is queued for a
 * number that opted out, nor a second time for the same dedupe key; returns null then.
 */
export async function queueSms(em: EntityManager, sms: QueuedSms): Promise<OutboxMessage | null> {
  if (!/^\+[1-9]\d{6,14}$/.test(sms.to)) throw new Error(`queueSms: ${sms.to} is not in E.164 form`);
  if (await isOptedOutOfSms(em, sms.to)) return null;
  if (sms.dedupeKey && (await em.count(OutboxMessage, { dedupeKey: sms.dedupeKey })) > 0) return null;
  return queueMessage(em, {
    channel: 'sms',
    recipient: sms.to,
    template: sms.template,
    body: sms.body,
    data: sms.data,
    dedupeKey: sms.dedupeKey,
  });
}

export async function isOptedOutOfSms(em: EntityManager, phoneNumber: string): Promise<boolean> {
  return (await em.count(SmsOptOut, { phoneNumber })) > 0;
}

/** Of `phoneNumbers` (E.164), those that opted out of texts. */
export async function optedOutOf(em: EntityManager, phoneNumbers: string[]): Promise<Set<string>> {
  if (phoneNumbers.length === 0) return new Set();
  const rows = await em.find(SmsOptOut, { phoneNumber: { $in: phoneNumbers } }, { fields: ['phoneNumber'] });
  return new Set(rows.map((row) => row.phoneNumber));
}

/** Texts to `phoneNumber` (E.164) on or off. Off takes effect for texts already queued too. */
export async function setSmsPreference(
  em: EntityManager,
  change: { phoneNumber: string; texts: boolean; source: SmsOptOutSource; userId: string | null },
): Promise<void> {
  if (change.texts) {
    await em.nativeDelete(SmsOptOut, { phoneNumber: change.phoneNumber });
    return;
  }
  await em.execute(
    `insert into sms_opt_outs (phone_number, source, user_id) values (?, ?, ?) on conflict (phone_number) do nothing`,
    [change.phoneNumber, change.source, change.userId],
  );
}

/** What the SMS provider says of a sent text, read back from it. */
export interface SmsStatusReading {
  status: SmsDeliveryStatus;
  /** No later status replaces a final one. */
  final: boolean;
  /** The provider's own word for it (`NOT_DELIVERED`). */
  providerStatus: string;
}

const FINAL: readonly SmsDeliveryStatus[] = ['delivered', 'undelivered', 'expired', 'rejected'];

export const isFinalSmsStatus = (status: SmsDeliveryStatus | null | undefined): boolean =>
  status != null && FINAL.includes(status);

/**
 * A text's delivery status as its provider now reports it. A final status is never replaced,
 * and a repeated one changes nothing (not even the time): a duplicate report is a no-op.
 * Returns whether the row changed.
 */
export async function recordSmsDelivery(
  em: EntityManager,
  messageId: string,
  reading: SmsStatusReading,
  now: Date,
): Promise<boolean> {
  const changed = await em.nativeUpdate(
    OutboxMessage,
    {
      id: messageId,
      channel: 'sms',
      $and: [
        { $or: [{ deliveryStatus: null }, { deliveryStatus: { $nin: [...FINAL] } }] },
        { $or: [{ deliveryStatus: null }, { deliveryStatus: { $ne: reading.status } }] },
      ],
    },
    { deliveryStatus: reading.status, deliveryUpdatedAt: now },
  );
  return changed === 1;
}

/**
 * A text's delivery callback was received (and proved by the route): its status is read back
 * from the provider by a job. Callbacks of one text that arrive together make one read.
 */
export async function receiveSmsDeliveryCallback(em: EntityManager, messageId: string): Promise<void> {
  await em.fork().transactional((tem) => addJob(tem, jobSpec('sms_delivery_status', { messageId })));
}
