import type { EntityManager } from '@mikro-orm/postgresql';
import { addJob, jobSpec } from '../jobs/addJob';
import { DEFAULT_PREFLIGHT_RECHECK_MS } from './preflight';

export interface DueActivations {
  /** Orders whose activation job was queued to run now. */
  activations: number;
  /** Orders whose preflight job was queued to run now. */
  preflights: number;
}

/**
 * The activations cron (seed 004 5a): every scheduled activation not started yet whose date has
 * come by `now` gets its activation job now, and every one whose preflight is due (T−3 days, or a
 * look again after something was missing) its preflight job; each job checks again for itself.
 * Each activation's own jobs are added for its exact times when it is approved or paid: this
 * catches what they missed (a job lost with a restored database, a clock that moved).
 */
export async function queueDueActivations(
  em: EntityManager,
  now: Date,
  { recheckAfterMs = DEFAULT_PREFLIGHT_RECHECK_MS, limit = 500 } = {},
): Promise<DueActivations> {
  return em.transactional(async (tem) => {
    const due = await tem.execute<{ id: string; activation_due: boolean; preflight_due: boolean }[]>(
      `select id, activation_scheduled_at <= ? as activation_due,
              (activation_preflight_at <= ?
                and (preflight_checked_at is null
                     or (jsonb_array_length(coalesce(preflight_problems, '[]'::jsonb)) > 0
                         and preflight_checked_at <= ?))) as preflight_due
         from orders
        where activation_type = 'scheduled' and activation_started_at is null
          and activation_scheduled_at is not null and status in ('approved', 'paid')
          and activation_preflight_at <= ?
        order by activation_scheduled_at
        limit ?`,
      [now, now, new Date(now.getTime() - recheckAfterMs), now, limit],
    );
    const result: DueActivations = { activations: 0, preflights: 0 };
    for (const order of due) {
      if (order.activation_due) {
        await addJob(tem, jobSpec('activate_order', { orderId: order.id }));
        result.activations += 1;
      } else if (order.preflight_due) {
        await addJob(tem, jobSpec('activation_preflight', { orderId: order.id }));
        result.preflights += 1;
      }
    }
    return result;
  });
}
