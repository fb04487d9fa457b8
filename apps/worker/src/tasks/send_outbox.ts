import type { OutboxChannel } from '@handover/contracts';
import { type Clock, type Metrics, TransientError } from '@handover/core';
import { type Orm, OutboxMessage } from '@handover/db';
import { defineTask } from '../defineTask';

/** Delivers one outbox message over its channel (email through SMTP, texts through the SMS provider). */
export interface MessageSender {
  send(message: OutboxMessage): Promise<{ providerMessageId: string }>;
  close(): void;
}

export interface SendOutboxDeps {
  orm: Orm;
  clock: Clock;
  /** Counts the sends that may be duplicates (a crash between sending and recording). */
  metrics?: Metrics;
  /** One sender per channel this worker can deliver; others are left pending for one that can. */
  senders: Partial<Record<OutboxChannel, MessageSender>>;
}

/** Put in place of a delivered (or abandoned) body that carried a credential such as a reset link. */
const SCRUBBED_BODY = '[removed after delivery: it contained a single-use link]';

/**
 * Delivers one outbox message. Sent and failed messages are never sent again. A transient
 * failure (SMTP 4xx, connection trouble) is thrown so graphile-worker retries with backoff; a
 * permanent one, or the last attempt, marks the message failed.
 *
 * Once at most, as far as a crash allows: the attempt is recorded (committed) before the message
 * is handed over, and its outcome right after. A worker killed between the two leaves the
 * attempt recorded with no outcome; the next attempt sends again (the message may not have gone)
 * under the same Message-ID, so that the recipient's mailbox shows it once, and counts it as a
 * possible duplicate (uncertain_sends, and the outbox_resends metric).
 */
export function sendOutbox(deps: SendOutboxDeps) {
  return defineTask('send_outbox', async ({ messageId }, helpers) => {
    const em = deps.orm.em.fork();
    const message = await em.findOne(OutboxMessage, messageId);
    if (!message) {
      helpers.logger.warn(`outbox message ${messageId} no longer exists; nothing to send`);
      return;
    }
    if (message.status !== 'pending') return;
    const sender = deps.senders[message.channel];
    if (!sender) {
      helpers.logger.warn(`no ${message.channel} sender in this worker; message ${message.id} left pending`);
      return;
    }

    const started = await startSend(em, message.id, deps.clock.now());
    if (!started) return;
    if (started.resend) {
      deps.metrics?.outboxResends.inc({ channel: message.channel });
      helpers.logger.warn(
        `outbox message ${message.id}: an earlier send was never recorded (the worker stopped); sending again under the same id`,
      );
    }

    // Each outcome is one UPDATE on its own (no unit of work, no transaction around it).
    const record = (changes: Partial<Pick<OutboxMessage, 'status' | 'sentAt' | 'providerMessageId' | 'lastError'>>) =>
      em.nativeUpdate(
        OutboxMessage,
        { id: message.id },
        {
          ...changes,
          sendStartedAt: null,
          attempts: message.attempts + 1,
          ...(changes.status && message.data.sensitive === true ? { body: SCRUBBED_BODY } : {}),
          updatedAt: deps.clock.now(),
        },
      );
    try {
      const { providerMessageId } = await sender.send(message);
      await record({ status: 'sent', sentAt: deps.clock.now(), providerMessageId, lastError: null });
    } catch (error) {
      const lastError = (error as Error).message;
      const retry = error instanceof TransientError && helpers.job.attempts < helpers.job.max_attempts;
      if (retry) {
        await record({ lastError });
        throw error;
      }
      await record({ status: 'failed', lastError });
      helpers.logger.error(`outbox message ${message.id} failed for good: ${lastError}`);
    }
  });
}

/**
 * Records, before sending, that a send starts; says whether an earlier one never recorded its
 * outcome. Null when the message is no longer pending (sent meanwhile by another run).
 */
async function startSend(em: Orm['em'], id: string, now: Date): Promise<{ resend: boolean } | null> {
  const [row] = await em.execute<{ previous: Date | null }[]>(
    `update outbox o set send_started_at = ?, updated_at = ?,
            uncertain_sends = o.uncertain_sends + case when b.previous is null then 0 else 1 end
       from (select id, send_started_at as previous from outbox where id = ? for update) b
      where o.id = b.id and o.status = 'pending'
      returning b.previous`,
    [now, now, id],
  );
  return row ? { resend: row.previous !== null } : null;
}
