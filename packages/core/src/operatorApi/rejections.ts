import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';

export interface OperatorRejection {
  /** Why it was refused: `missing_headers`, `stale_timestamp`, `bad_signature`, `reused_nonce`, ... */
  reason: string;
  method: string;
  path: string;
  ip: string;
}

/** Logs a refused operator call where the back office shows activity. */
export async function recordOperatorRejection(em: EntityManager, rejection: OperatorRejection): Promise<void> {
  recordActivity(em, {
    action: 'operator_api.rejected',
    subjectType: 'operator_api',
    subjectId: rejection.path.split('?')[0]?.slice(0, 64) ?? '',
    actor: { type: 'api', id: 'unauthenticated' },
    description: `${rejection.method} ${rejection.path} refused: ${rejection.reason}`,
    properties: { ...rejection },
  });
  await em.flush();
}
