import type { FulfillmentStatus } from '@handover/contracts';
import type { RetryPolicy } from '@handover/db';
import { VENDOR_PAUSED_CODES, VENDOR_PAUSED_REASON } from '../providers/vendorGuard';
import type { ExternalReferences, ManualTaskSpec, WaitingStatus } from './adapter';
import { nextAttemptAt } from './retryPolicy';
import { RUNNABLE_STATUSES } from './statuses';

/**
 * The engine's rules, as a pure function: given where a record stands and what just happened,
 * what it becomes and what must be written. No database, no clock, no provider: the
 * orchestrator (engine.ts) gathers the facts, asks `decide`, and applies the answer through the
 * one writer (transitions.ts), so every rule below is tested as a table (decide.test.ts).
 */

/** Where the record stands when something happens to it. */
export interface RecordState {
  status: FulfillmentStatus;
  /** The step the event is about, and its place in the driver's list. */
  step: string;
  stepIndex: number;
  stepCount: number;
  /** The attempt of this step that just ran (1 for the first). */
  attempt: number;
  /** Times this step has already asked to be polled. */
  pollCount: number;
  /** The product's retry policy (or the driver's default). */
  policy: RetryPolicy;
  completedStatus: 'completed' | 'active';
  notifyOnRetry: boolean;
}

/** What happened. */
export type RecordEvent =
  /** The step finished; `viaTask` when a person finished it through a manual task. */
  | { kind: 'done'; output: Record<string, unknown>; external?: ExternalReferences; viaTask?: boolean }
  /** The step asks to be run again at `pollAt` (a provider job still running). */
  | { kind: 'poll'; status: WaitingStatus; reason: string; pollAt: Date; maxPolls?: number }
  /** The step waits for something outside (stock, the customer, a cron) to wake the record. */
  | { kind: 'await'; status: WaitingStatus; reason: string }
  /** The step hands the work to a person. */
  | { kind: 'manual'; task: ManualTaskSpec }
  /** The step's manual task is still open. */
  | { kind: 'manual_open' }
  /** The step failed; `transient` may be retried. */
  | { kind: 'error'; transient: boolean; message: string; code: string; retryAfterMs?: number }
  /** The run found the step begun but never journalled done: the worker died inside it. */
  | { kind: 'replay' }
  /** An operator cancelled the record. */
  | { kind: 'cancel' };

/** What the step's journal entry becomes. */
export type JournalChange = 'done' | 'waiting' | 'failed' | 'none';

export type Decision =
  /** The step is done and another follows: journal it and run the next at once. */
  | { kind: 'next'; status: 'processing'; journal: 'done' }
  /** The last step is done: the record is delivered. */
  | { kind: 'complete'; status: 'completed' | 'active'; journal: 'done' }
  /** Wait; with `pollAt`, the step runs again then. */
  | {
      kind: 'wait';
      status: WaitingStatus | 'manual_pending';
      reason: string;
      journal: 'waiting';
      pollAt: Date | null;
      pollCount: number;
      task: ManualTaskSpec | null;
    }
  /** Try the step again at `at`. */
  | {
      kind: 'retry';
      status: 'processing';
      journal: 'failed';
      at: Date;
      attempts: number;
      notify: boolean;
      reason: string;
    }
  /** Give up: undo the done steps, fail the record, alert ops, tell the customer. */
  | { kind: 'fail'; status: 'failed'; journal: 'failed' | 'none'; reason: string; code: string }
  /** Run the step again now, under the same idempotency key. */
  | { kind: 'rerun'; status: 'processing'; journal: 'none' }
  /**
   * Undo the done steps of a record an operator cancelled; it stays cancelled. A step that
   * finished as the record was cancelled is journalled done first, so it is undone too.
   */
  | { kind: 'compensate'; status: 'cancelled'; journal: 'done' | 'none' }
  /** Nothing to do: the record has moved on (a stale job, a finished record). */
  | { kind: 'ignore'; journal: 'none' };

/** States a run may act from; anything else is finished or cancelled. */
const RUNNABLE: ReadonlySet<FulfillmentStatus> = new Set(RUNNABLE_STATUSES);

export function decide(state: RecordState, event: RecordEvent, now: Date): Decision {
  if (state.status === 'cancelled') {
    return { kind: 'compensate', status: 'cancelled', journal: event.kind === 'done' ? 'done' : 'none' };
  }
  if (event.kind === 'cancel' || !RUNNABLE.has(state.status)) return ignore;

  switch (event.kind) {
    case 'done':
      return state.stepIndex >= state.stepCount - 1
        ? { kind: 'complete', status: state.completedStatus, journal: 'done' }
        : { kind: 'next', status: 'processing', journal: 'done' };
    case 'poll': {
      // Seed 001: a provider job polled every 10 s, 30 times, has failed when it is not done by then.
      if (event.maxPolls !== undefined && state.pollCount >= event.maxPolls) {
        const reason = `${state.step}: the provider had not finished after ${event.maxPolls} checks (${event.reason})`;
        return { kind: 'fail', status: 'failed', journal: 'failed', reason, code: 'poll_limit' };
      }
      return wait(event.status, event.reason, event.pollAt, state.pollCount + 1, null);
    }
    case 'await':
      return wait(event.status, event.reason, null, state.pollCount, null);
    case 'manual':
      return wait('manual_pending', MANUAL_REASON, null, state.pollCount, event.task);
    case 'manual_open':
      return wait('manual_pending', MANUAL_REASON, null, state.pollCount, null);
    case 'replay':
      return { kind: 'rerun', status: 'processing', journal: 'none' };
    case 'error': {
      if (event.transient && VENDOR_PAUSED_CODES.has(event.code)) {
        // The vendor's breaker is open or its rate limit is taken: the step was not even tried,
        // so the record waits its turn without spending an attempt.
        const pollAt = new Date(now.getTime() + Math.max(event.retryAfterMs ?? PAUSE_FALLBACK_MS, 100));
        return wait('awaiting_provider', VENDOR_PAUSED_REASON, pollAt, state.pollCount, null);
      }
      const at = event.transient ? nextAttemptAt(state.policy, state.attempt, now, event.retryAfterMs) : null;
      if (at) {
        return {
          kind: 'retry',
          status: 'processing',
          journal: 'failed',
          at,
          attempts: state.attempt,
          notify: state.notifyOnRetry,
          reason: `Attempt ${state.attempt} did not work; trying again shortly`,
        };
      }
      const spent = event.transient && state.policy.maxAttempts > 1;
      const reason = spent ? `${event.message} (after ${state.attempt} attempts)` : event.message;
      return { kind: 'fail', status: 'failed', journal: 'failed', reason, code: event.code };
    }
  }
}

const ignore: Decision = { kind: 'ignore', journal: 'none' };

/** When a pause does not say how long it lasts. */
const PAUSE_FALLBACK_MS = 30_000;

/** Shown to the customer while a person completes a step. */
export const MANUAL_REASON = 'Our team is completing this by hand';

function wait(
  status: WaitingStatus | 'manual_pending',
  reason: string,
  pollAt: Date | null,
  pollCount: number,
  task: ManualTaskSpec | null,
): Decision {
  return { kind: 'wait', status, reason, journal: 'waiting', pollAt, pollCount, task };
}
