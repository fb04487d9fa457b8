import { PermanentError } from '@handover/core';
import type { SmsSender } from '@handover/integrations';
import type { MessageSender } from '../tasks/send_outbox';

/**
 * The outbox's `sms` channel: each text goes through the SMS provider (rate-limited there), and
 * a number that opted out is never texted, however long ago the text was queued (a permanent
 * `opted_out`: the message is marked failed, unsent). Transient provider errors are retried by
 * the send_outbox job.
 */
export function createSmsOutboxSender(
  sender: SmsSender,
  isOptedOut: (phoneNumber: string) => Promise<boolean>,
): MessageSender {
  return {
    async send(message) {
      if (await isOptedOut(message.recipient)) {
        throw new PermanentError(`${message.recipient} asked not to be texted; not sent`, 'opted_out');
      }
      return { providerMessageId: await sender.send(message.recipient, message.body, message.id) };
    },
    close() {},
  };
}
