import {
  type ActivationMoment,
  type ActivationType,
  describeMoment,
  instantOf,
  preflightAt,
} from '@handover/contracts';
import type { PendingOrderLine, Product } from '@handover/db';
import { ValidationError } from '../errors';
import { type JobSpec, jobSpec } from '../jobs/addJob';

/** How and when an order's service is activated (seed 004 5a's Activation_* fields). */
export interface ActivationPlan {
  type: ActivationType;
  /** The instant, when a date is known. */
  at: Date | null;
  /** The zone the date was chosen in. */
  timeZone: string | null;
  /** T−3 days on that zone's calendar. */
  preflightAt: Date | null;
}

export const IMMEDIATE: ActivationPlan = { type: 'immediate', at: null, timeZone: null, preflightAt: null };

/** A scheduled plan at `at` in `timeZone`, with its preflight. */
export function scheduledAt(at: Date, timeZone: string): ActivationPlan {
  return { type: 'scheduled', at, timeZone, preflightAt: preflightAt(at, timeZone) };
}

/**
 * What checkout snapshots on a line (seed 004 5a): the product's activation, and the date the
 * customer chose where the product lets them. A date is refused for a product that does not take
 * one, and must be in the future; a scheduled product the customer dates must be given one unless
 * ops choose it at review.
 */
export function lineActivation(
  product: Pick<Product, 'name' | 'activation' | 'activationDateByCustomer' | 'requiresReview'>,
  moment: ActivationMoment | undefined,
  index: number,
  now: Date,
): NonNullable<PendingOrderLine['activation']> {
  const field = `items.${index}.activation.date`;
  if (!moment) {
    if (product.activation === 'scheduled' && product.activationDateByCustomer && !product.requiresReview) {
      throw new ValidationError(`Choose when ${product.name} is activated.`, {
        [field]: ['Choose the activation date'],
      });
    }
    return { type: product.activation, at: null, timeZone: null };
  }
  if (product.activation !== 'scheduled' || !product.activationDateByCustomer) {
    throw new ValidationError(`${product.name} is activated as soon as it is ready; it takes no date.`, {
      [field]: ['This product takes no activation date'],
    });
  }
  const at = instantOf(moment);
  if (at.getTime() <= now.getTime()) {
    throw new ValidationError(`The activation date of ${product.name} has passed.`, {
      [field]: [`Choose a moment after ${describeMoment(now, moment.timeZone)}`],
    });
  }
  return { type: 'scheduled', at: at.toISOString(), timeZone: moment.timeZone };
}

/** An order's plan from its lines' snapshots (one service per order: the first line that says). */
export function orderActivationOf(lines: readonly PendingOrderLine[]): ActivationPlan {
  const line = lines.find((candidate) => candidate.activation?.type === 'scheduled') ?? lines[0];
  const activation = line?.activation;
  if (!activation || activation.type === 'immediate') return IMMEDIATE;
  if (!activation.at || !activation.timeZone) return { ...IMMEDIATE, type: 'scheduled' };
  return scheduledAt(new Date(activation.at), activation.timeZone);
}

/** The order's activation columns, as a row of `orders` takes them. */
export function activationColumns(plan: ActivationPlan): Record<string, unknown> {
  return {
    activation_type: plan.type,
    activation_scheduled_at: plan.at,
    activation_time_zone: plan.timeZone,
    activation_preflight_at: plan.preflightAt,
  };
}

/**
 * The jobs of a scheduled activation: the preflight at T−3 days (at once when that has passed)
 * and the activation on the date. Keyed by order, so a new date replaces them.
 */
export function activationJobs(orderId: string, plan: ActivationPlan, now: Date): JobSpec[] {
  if (plan.type !== 'scheduled' || !plan.at) return [];
  const preflight = plan.preflightAt && plan.preflightAt > now ? plan.preflightAt : now;
  return [
    jobSpec('activation_preflight', { orderId }, { runAt: preflight }),
    jobSpec('activate_order', { orderId }, { runAt: plan.at }),
  ];
}
