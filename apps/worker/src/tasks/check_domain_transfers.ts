import { forgetUnclaimedCredentials, wakeDueDomainTransfers } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/**
 * Seed 001 step 7 (CheckDomainTransferStatus): records whose domain waits to turn active at
 * Mailin.ai look again when due, and create the mailboxes once it is; transfers stuck longer
 * than DNS_ALERT_AFTER_DAYS alert ops. From "Check now": one order's, at once.
 */
export const checkDomainTransfers = (deps: TaskDeps) =>
  defineTask('check_domain_transfers', async ({ orderId }) => {
    const em = deps.engine.em.fork();
    const now = deps.clock.now();
    const result = await wakeDueDomainTransfers(em, now, {
      alertAfterMs: deps.dns.alertAfterDays * 86_400_000,
      orderId,
    });
    const forgotten = orderId ? 0 : await forgetUnclaimedCredentials(em, now);
    if (result.woken > 0 || result.alerted > 0 || forgotten > 0) {
      deps.logger.info({ ...result, forgottenCredentials: forgotten, orderId }, 'domain transfers checked');
    }
  });
