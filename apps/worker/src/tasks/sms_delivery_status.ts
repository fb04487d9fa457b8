import { isFinalSmsStatus, recordSmsDelivery } from '@handover/core';
import { OutboxMessage } from '@handover/db';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/**
 * A text's delivery callback came: its status is read back from the SMS provider, the authority,
 * and written to the outbox row. A text already in a final status is left as it is without a
 * call, so a repeated callback changes nothing.
 */
export const smsDeliveryStatus = (deps: TaskDeps) =>
  defineTask('sms_delivery_status', async ({ messageId }, helpers) => {
    const em = deps.orm.em.fork();
    const message = await em.findOne(OutboxMessage, { id: messageId, channel: 'sms' });
    if (!message || isFinalSmsStatus(message.deliveryStatus)) return;
    if (!deps.sms) {
      helpers.logger.warn(`no SMS provider in this worker; the status of text ${messageId} is not read`);
      return;
    }
    // The callback can come before the send's answer is written down: look again shortly.
    if (!message.providerMessageId) throw new Error(`text ${messageId} has no provider id yet`);
    const reading = await deps.sms.deliveryStatus(message.providerMessageId);
    const changed = await recordSmsDelivery(em, messageId, reading, deps.clock.now());
    deps.logger.info(
      { messageId, status: reading.status, providerStatus: reading.providerStatus, changed },
      'text delivery status read back',
    );
  });
