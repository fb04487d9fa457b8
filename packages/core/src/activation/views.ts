import {
  type ActivationStatus,
  type ActivationType,
  activationStatusOf,
  type FulfillmentStatus,
} from '@handover/contracts';
import type { FulfillmentRecord, Order, PreflightProblem } from '@handover/db';

/** Seed 004 5a's activation fields as staff read them, with the failure's error fields. */
export interface ActivationView {
  type: ActivationType;
  /** Activation_Scheduled_At__c, and the zone it was chosen in. */
  at: Date | null;
  timeZone: string | null;
  preflightAt: Date | null;
  startedAt: Date | null;
  /** Activation_Status__c, derived from the records. */
  status: ActivationStatus;
  preflight: { checkedAt: Date | null; problems: PreflightProblem[] };
  /** When it failed: the failed record's error, its stable code, the step and when. */
  error: { message: string; code: string | null; step: string | null; at: Date | null; recordId: string } | null;
}

/**
 * Seed 004: activation fields are shown only once the order is approved (and for an order paid
 * without review whose service waits for a date); an order still in review, or rejected, has none.
 */
export function showsActivation(order: Pick<Order, 'status' | 'reviewDecision' | 'activationType'>): boolean {
  if (order.status === 'pending_review' || order.reviewDecision === 'rejected') return false;
  return order.reviewDecision === 'approved' || order.activationType === 'scheduled';
}

export function activationViewOf(
  order: Order,
  records: Pick<FulfillmentRecord, 'id' | 'status' | 'lastError' | 'lastErrorCode' | 'currentStep' | 'failedAt'>[],
  /** The step each failed record failed at, from its journal (a first step's failure names no current step). */
  failedSteps: ReadonlyMap<string, string> = new Map(),
): ActivationView | null {
  if (!showsActivation(order)) return null;
  const failed = records.find((record) => record.status === 'failed');
  return {
    type: order.activationType,
    at: order.activationScheduledAt ?? null,
    timeZone: order.activationTimeZone ?? null,
    preflightAt: order.activationPreflightAt ?? null,
    startedAt: order.activationStartedAt ?? null,
    status: activationStatusOf(records.map((record) => record.status as FulfillmentStatus)),
    preflight: { checkedAt: order.preflightCheckedAt ?? null, problems: order.preflightProblems ?? [] },
    error: failed
      ? {
          message: failed.lastError ?? 'failed',
          code: failed.lastErrorCode ?? null,
          step: failedSteps.get(failed.id) ?? failed.currentStep ?? null,
          at: failed.failedAt ?? null,
          recordId: failed.id,
        }
      : null,
  };
}

/** The customer's view: no ops details, the problems in their words. */
export interface CustomerActivationView {
  type: ActivationType;
  at: Date | null;
  timeZone: string | null;
  status: ActivationStatus;
  /** What the last preflight found missing, as the customer should read it. */
  needed: string[];
}

export function customerActivationViewOf(view: ActivationView | null): CustomerActivationView | null {
  if (!view) return null;
  return {
    type: view.type,
    at: view.at,
    timeZone: view.timeZone,
    status: view.status,
    needed: view.startedAt ? [] : view.preflight.problems.map((problem) => problem.problem),
  };
}
