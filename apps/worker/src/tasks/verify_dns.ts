import { verifyDomainNameservers, verifyDueDomains } from '@handover/core';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { TaskDeps } from './deps';

/** From the crontab: no record (every due domain); from "check now": one record. */
const payload = z.object({ recordId: z.uuid().optional() });

/** Seed 000 phase 5: looks up the NS records of domains awaiting verification and activates the ones that point at us. */
export function verifyDns(deps: TaskDeps): Task {
  return async (raw) => {
    const parsed = payload.safeParse(raw ?? {});
    if (!parsed.success) {
      deps.logger.error({ payload: raw }, 'verify_dns job with an invalid recordId; dropped');
      return;
    }
    const { recordId } = parsed.data;
    if (recordId) {
      const outcome = await verifyDomainNameservers(deps.dns, recordId);
      deps.logger.info({ recordId, outcome }, 'DNS checked on request');
      return;
    }
    const counts = await verifyDueDomains(deps.dns);
    if (Object.values(counts).some((n) => n > 0)) deps.logger.info(counts, 'DNS checks done');
  };
}
