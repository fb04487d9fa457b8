import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';
import type { Clock } from '../clock';
import { hitThrottle, peekThrottle, THROTTLES, type ThrottleCount } from '../security/throttle';

export interface OperatorRejection {
  /** Why it was refused: `missing_headers`, `stale_timestamp`, `bad_signature`, `reused_nonce`, ... */
  reason: string;
  method: string;
  path: string;
  ip: string;
}

/**
 * Whether calls from `ip` are still checked: past its limit of refused calls in a minute, the
 * rest of that minute's calls are turned away before any signature is computed or row written.
 */
export function operatorRefusalsAllowed(em: EntityManager, ip: string, clock: Clock): Promise<ThrottleCount> {
  return peekThrottle(em, THROTTLES.operatorRefusalsPerIp, ip, clock);
}

/**
 * Counts a refused operator call and writes where the back office shows activity, aggregated:
 * the first refusal from an IP in a minute is a row, and reaching the limit is one more (with
 * the count); the calls in between and after are counted, not written one by one.
 */
export async function recordOperatorRejection(
  em: EntityManager,
  rejection: OperatorRejection,
  clock: Clock,
): Promise<void> {
  const rule = THROTTLES.operatorRefusalsPerIp;
  const { count } = await hitThrottle(em, rule, rejection.ip, clock);
  if (count !== 1 && count !== rule.limit) return;
  const throttled = count === rule.limit;
  recordActivity(em, {
    action: throttled ? 'operator_api.throttled' : 'operator_api.rejected',
    subjectType: 'operator_api',
    subjectId: rejection.path.split('?')[0]?.slice(0, 64) ?? '',
    actor: { type: 'api', id: 'unauthenticated' },
    description: throttled
      ? `${count} refused calls from ${rejection.ip} within a minute; its calls are turned away for the rest of it (last: ${rejection.reason})`
      : `${rejection.method} ${rejection.path} refused: ${rejection.reason}`,
    properties: { ...rejection, refusedInWindow: count },
  });
  await em.flush();
}
