import type { EntityManager } from '@mikro-orm/postgresql';
import { addJob, type JobSpec } from '../jobs/addJob';

/** The worker task that runs one fulfillment record (apps/worker/src/tasks/fulfill.ts). */
export const FULFILL_TASK = 'fulfill';

/** One pending `fulfill` job per record: adding it again replaces the waiting one. */
export function fulfillJobKey(recordId: string): string {
  return `fulfill:${recordId}`;
}

/** The job that runs a record (now, or at `runAt`). */
export function fulfillJobSpec(recordId: string, runAt?: Date): JobSpec {
  return {
    task: FULFILL_TASK,
    payload: { recordId },
    jobKey: fulfillJobKey(recordId),
    runAt,
    // The engine keeps its own attempt count and backoff; graphile-worker only redelivers crashes.
    maxAttempts: 25,
  };
}

/** Schedules a record's next run (now, or at `runAt`), in `em`'s transaction. */
export async function enqueueFulfillment(em: EntityManager, recordId: string, runAt?: Date): Promise<void> {
  await addJob(em, fulfillJobSpec(recordId, runAt));
}
