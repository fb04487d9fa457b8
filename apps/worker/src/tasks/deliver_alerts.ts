import { deliverAlerts } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** Tells ops of the alerts raised and resolved since the last run (email and webhook, through the outbox). */
export const deliverAlertsTask = (deps: TaskDeps) =>
  defineTask('deliver_alerts', async () => {
    const told = await deliverAlerts(deps.orm.em.fork(), deps.alerts.recipients, deps.clock.now());
    if (told > 0) deps.logger.info({ alerts: told }, 'told ops of alerts');
  });
