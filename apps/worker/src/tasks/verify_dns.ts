import { verifyDomainNameservers, verifyDomainWhenDue, verifyDueDomains } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/**
 * Seed 000 phase 5: looks up the NS records of domains awaiting verification and activates the
 * ones that point at us. From the cron: every due domain; when one domain's next check is due:
 * that one, unless looked at meanwhile; from "check now": one record.
 */
export const verifyDns = (deps: TaskDeps) =>
  defineTask('verify_dns', async ({ recordId, whenDue }) => {
    if (recordId && whenDue) {
      const outcome = await verifyDomainWhenDue(deps.dns, recordId);
      if (outcome !== 'skipped') deps.logger.info({ recordId, outcome }, 'DNS checked when due');
      return;
    }
    if (recordId) {
      const outcome = await verifyDomainNameservers(deps.dns, recordId);
      deps.logger.info({ recordId, outcome }, 'DNS checked on request');
      return;
    }
    const counts = await verifyDueDomains(deps.dns);
    if (Object.values(counts).some((n) => n > 0)) deps.logger.info(counts, 'DNS checks done');
  });
