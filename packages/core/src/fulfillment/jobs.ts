import type { EntityManager } from '@mikro-orm/postgresql';
import { addJob } from '../jobs/addJob';

/** The worker task that runs one fulfillment record (apps/worker/src/tasks/fulfill.ts). */
export const FULFILL_TASK = 'fulfill';

/** One pending `fulfill` job per record: adding it again replaces the waiting one. */
export function fulfillJobKey(recordId: string): string {
  return `fulfill:${recordId}`;
}

/** Schedules a record's next run (now, or at `runAt`), in `em`'s transaction. */
export async function enqueueFulfillment(em: EntityManager, recordId: string, runAt?: Date): Promise<void> {
  await addJob(em, {
    task: FULFILL_TASK,
    payload: { recordId },
    jobKey: fulfillJobKey(recordId),
    runAt,
    // The engine keeps its own attempt count and backoff; graphile-worker only redelivers crashes.
    maxAttempts: 25,
  });
}
