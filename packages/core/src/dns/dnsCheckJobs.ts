import type { EntityManager } from '@mikro-orm/postgresql';
import { addJob } from '../jobs/addJob';

/** The worker task (apps/worker/src/tasks/verify_dns.ts): every due domain from the cron, or one record's now. */
export const VERIFY_DNS_TASK = 'verify_dns';

/** "Check now": looks up one record's domain at once, whatever its backoff says. In `em`'s transaction. */
export async function requestDnsCheck(em: EntityManager, recordId: string): Promise<void> {
  await addJob(em, {
    task: VERIFY_DNS_TASK,
    payload: { recordId },
    jobKey: `${VERIFY_DNS_TASK}:${recordId}`,
    // A failed lookup is simply tried again by the cron.
    maxAttempts: 1,
  });
}
