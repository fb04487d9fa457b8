import { addJob, dispatchWebhookEvents, jobSpec } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** Batches one run reads before it hands over to the next run. */
const MAX_ROUNDS = 20;

/**
 * Turns new domain events into outbound webhook deliveries, then, while any endpoint is on,
 * comes back after `dispatchIntervalMs` (at once when it stopped with more to read). With no
 * endpoint it sleeps: the cron and a new endpoint wake it.
 */
export const dispatchWebhooks = (deps: TaskDeps) =>
  defineTask('dispatch_webhooks', async () => {
    const em = deps.orm.em.fork();
    let events = 0;
    let deliveries = 0;
    let result = await dispatchWebhookEvents(em, deps.clock);
    for (let round = 1; ; round += 1) {
      events += result.events;
      deliveries += result.deliveries;
      if (!result.more || round >= MAX_ROUNDS) break;
      result = await dispatchWebhookEvents(em, deps.clock);
    }
    if (deliveries > 0) deps.logger.info({ events, deliveries }, 'webhook deliveries queued');
    if (!result.listening) return;
    const runAt = new Date(deps.clock.now().getTime() + (result.more ? 0 : deps.webhooks.dispatchIntervalMs));
    await addJob(em, jobSpec('dispatch_webhooks', {}, { runAt }));
  });
