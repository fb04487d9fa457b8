import { raiseAlertIn } from '../alerts/alerts';
import type { WriteBatch } from '../database/writeBatch';
import { jobSpec } from '../jobs/addJob';
import { captureProviderCalls, type ProviderCall } from '../providers/providerCalls';
import type { AnyFulfillmentAdapter, CompensationContext, StepContext } from './adapter';
import { type JournalEntry, journalStep, type LogSubject, logRows, stepIdempotencyKey } from './journal';

export interface CompensationResult {
  step: string;
  position: number;
  generation: number;
  output: Record<string, unknown> | null;
  calls: ProviderCall[];
  error: string | null;
  /** Not tried: a later step's undo failed first, and this one waits for it (see compensateDoneSteps). */
  held: boolean;
}

/**
 * How long a failed undo waits before it is tried again in the background, attempt after
 * attempt (the first try is the engine's own, when the record fails): about a day in all, then
 * ops decide.
 */
export const COMPENSATION_RETRY_DELAYS_MS = [30, 120, 600, 1_800, 3_600, 3 * 3_600, 6 * 3_600, 12 * 3_600].map(
  (seconds) => seconds * 1_000,
);

/**
 * Undoes the done steps of a record, last first (delete what the provider made, then release
 * inventory), and the attempts whose outcome is unknown of the steps that can undo one
 * (`compensateAttempt`: an order the provider made whose answer was lost). Each compensation's
 * provider calls are kept for the log. The first undo that fails stops the unwinding: the steps
 * before it are held, not undone, because what they hold may still be in use at the provider (a
 * Microsoft account still in a PlugSaaS order that could not be deleted must not go back to the
 * pool for the next customer).
 */
export async function compensateDoneSteps(
  adapter: AnyFulfillmentAdapter | undefined,
  journal: readonly JournalEntry[],
  context: (step: string, generation: number) => StepContext,
): Promise<CompensationResult[]> {
  if (!adapter) return [];
  const undoable = adapter.steps
    .map((step, position) => ({ step, position, entry: journal.find((e) => e.name === step.name) }))
    .filter(({ step, entry }) => entry?.status === 'done' || (attempted(entry) && step.compensateAttempt))
    .reverse();
  const results: CompensationResult[] = [];
  let failed = false;
  for (const { step, position, entry } of undoable) {
    const generation = entry?.generation ?? 0;
    const base = { step: step.name, position, generation, output: entry?.output ?? null, calls: [], error: null };
    if (failed) {
      results.push({ ...base, held: true });
      continue;
    }
    const undo = entry?.status === 'done' ? step.compensate : step.compensateAttempt;
    if (!undo) {
      results.push({ ...base, held: false });
      continue;
    }
    const ctx: CompensationContext = { ...context(step.name, generation), output: entry?.output ?? {} };
    const outcome = await captureProviderCalls(() => undo.call(step, ctx));
    const error = outcome.ok ? null : outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    failed = error !== null;
    results.push({ ...base, calls: outcome.calls, error, held: false });
  }
  return results;
}

/** A step tried and not finished: what its last attempt did at the provider is not known. */
function attempted(entry: JournalEntry | undefined): boolean {
  return entry?.status === 'failed' || entry?.status === 'running';
}

/**
 * The journal with `step` as attempted and not finished: the step whose attempt just failed the
 * record, which the journal read before the attempt does not show yet.
 */
export function withFailedAttempt(journal: readonly JournalEntry[], step: string): JournalEntry[] {
  const entry = journal.find((e) => e.name === step);
  if (entry?.status === 'done') return [...journal];
  const failed: JournalEntry = { name: step, status: 'failed', generation: entry?.generation ?? 0, output: null };
  return entry ? journal.map((e) => (e === entry ? failed : e)) : [...journal, failed];
}

/** Whether the undo took back `step` (so that its row is journaled as compensated, not failed). */
export function undid(results: readonly CompensationResult[], step: string): boolean {
  return results.some((result) => result.step === step && !result.error && !result.held);
}

/** Whether any undo failed, so that the record's compensation is not finished. */
export function compensationUnfinished(results: readonly CompensationResult[]): boolean {
  return results.some((result) => result.error !== null);
}

/**
 * Journals what compensation did, in the failure's (or cancellation's, or a retry's)
 * transaction: an undone step gets a new generation, so a later retry really redoes it; a step
 * whose undo failed, and the steps held behind it, stay done.
 */
export function journalCompensation(
  batch: WriteBatch,
  who: LogSubject,
  results: readonly CompensationResult[],
  now: Date,
  /** The attempt that failed the record, journaled here when its step was undone (one row per step and batch). */
  failedAttempt?: { step: string; error: string },
): void {
  const failed = results.find((result) => result.error !== null);
  for (const result of results) {
    if (!result.error && !result.held) {
      const attempt = failedAttempt?.step === result.step;
      journalStep(batch, {
        recordId: who.recordId,
        name: result.step,
        position: result.position,
        status: 'compensated',
        idempotencyKey: stepIdempotencyKey(who.recordId, result.step, result.generation),
        output: result.output,
        attempted: attempt,
        ...(attempt ? { error: failedAttempt.error } : {}),
        now,
      });
    }
    logRows(
      batch,
      who,
      [
        {
          kind: 'compensation',
          step: result.step,
          status: result.held ? 'pending' : result.error ? 'failed' : 'success',
          errorMessage: result.held ? `Held until undoing ${failed?.step} succeeds` : result.error,
        },
      ],
      [{ step: result.step, attempt: 1, kind: 'compensation', list: result.calls }],
      now,
    );
  }
}

/**
 * A compensation that did not finish: what the record holds is quarantined (inventory it
 * reserved or was assigned is not reusable), the undo is tried again in the background after
 * `delayMs`, and ops are alerted that both are so. `attempts` counts the tries so far.
 */
export function holdUnfinishedCompensation(
  batch: WriteBatch,
  who: LogSubject & { orderCode: string },
  results: readonly CompensationResult[],
  { attempts, delayMs, now }: { attempts: number; delayMs: number | null; now: Date },
): void {
  const failed = results.filter((result) => result.error !== null);
  const reason = failed.map((r) => `undoing ${r.step} failed: ${r.error}`).join('; ');
  batch.write(
    `update inventory_items set status = 'quarantined', quarantined_at = ?, quarantine_reason = ?, updated_at = ?
      where record_id = ? and status in ('reserved', 'assigned', 'quarantined') returning 1`,
    [now, `Order ${who.orderCode}: ${reason}`.slice(0, 2000), now, who.recordId],
  );
  const retryAt = delayMs === null ? null : new Date(now.getTime() + delayMs);
  batch.write(
    `insert into pending_compensations (id, record_id, status, attempts, next_attempt_at, last_error, created_at, updated_at)
     values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?)
     on conflict (record_id) do update set status = excluded.status, attempts = excluded.attempts,
        next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error, updated_at = excluded.updated_at
     returning 1`,
    [who.recordId, retryAt ? 'pending' : 'abandoned', attempts, retryAt, reason.slice(0, 4000), now, now],
  );
  if (retryAt) batch.jobs([jobSpec('compensate_record', { recordId: who.recordId }, { runAt: retryAt })]);
  const steps = failed.map((r) => r.step).join(', ');
  raiseAlertIn(
    batch,
    {
      type: 'rollback_failure',
      severity: 'critical',
      message: retryAt
        ? `Order ${who.orderCode}: undoing ${steps} failed (${reason}). What the record holds is quarantined, not returned to its pool, until the undo succeeds; it is tried again in the background (next at ${retryAt.toISOString()}), or ops decide in Quarantine.`
        : `Order ${who.orderCode}: undoing ${steps} still fails after ${attempts} tries (${reason}). What the record holds stays quarantined until ops decide in Quarantine: check the provider, then return it to the pool or write it off.`,
      subjectType: 'fulfillment_record',
      subjectId: who.recordId,
      data: { orderId: who.orderId, driver: who.driver, steps: failed.map((r) => r.step), attempts },
      dedupeKey: `rollback_failure:${who.recordId}`,
      // Its condition is the unfinished undo: it is resolved when the undo finishes or ops decide
      // (resolveAlert), never by an acknowledgement while the items are still held back.
      rule: 'compensation',
    },
    now,
  );
}
