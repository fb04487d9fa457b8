import { deliverAlerts, evaluateAlertRules } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** Cron, every minute: the alert rules, then ops are told of what was raised or resolved. */
export const evaluateAlerts = (deps: TaskDeps) =>
  defineTask('evaluate_alerts', async () => {
    const now = deps.clock.now();
    const result = await evaluateAlertRules(deps.orm.em.fork(), deps.alerts.thresholds, now);
    if (result.raised.length > 0 || result.resolved.length > 0) deps.logger.info(result, 'alert rules evaluated');
    await deliverAlerts(deps.orm.em.fork(), deps.alerts.recipients, now);
  });
