import { deliverWebhook } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** One attempt of an outbound webhook delivery; the next, if any, is scheduled by deliverWebhook. */
export const deliverWebhookTask = (deps: TaskDeps) =>
  defineTask('deliver_webhook', async ({ deliveryId, trigger }) => {
    const outcome = await deliverWebhook(deps.webhooks, deliveryId, trigger);
    if (outcome === 'failed') deps.logger.warn({ deliveryId }, 'webhook delivery failed for good');
    else deps.logger.debug({ deliveryId, trigger, outcome }, 'webhook delivery attempted');
  });
