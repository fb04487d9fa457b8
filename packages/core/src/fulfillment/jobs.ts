import type { EntityManager } from '@mikro-orm/postgresql';
import { addJob, jobSpec } from '../jobs/addJob';

/** Schedules a record's next run (now, or at `runAt`), in `em`'s transaction; a waiting run is replaced. */
export async function enqueueFulfillment(em: EntityManager, recordId: string, runAt?: Date): Promise<void> {
  await addJob(em, jobSpec('fulfill', { recordId }, { runAt }));
}
