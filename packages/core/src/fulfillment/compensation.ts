import { raiseAlertIn } from '../alerts/alerts';
import type { WriteBatch } from '../database/writeBatch';
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
}

/**
 * Undoes the done steps of a record, last first (release inventory, delete what the provider
 * made). Each compensation's provider calls are kept for the log; a failure does not stop the
 * others.
 */
export async function compensateDoneSteps(
  adapter: AnyFulfillmentAdapter | undefined,
  journal: readonly JournalEntry[],
  context: (step: string, generation: number) => StepContext,
): Promise<CompensationResult[]> {
  if (!adapter) return [];
  const done = adapter.steps
    .map((step, position) => ({ step, position, entry: journal.find((e) => e.name === step.name) }))
    .filter(({ entry }) => entry?.status === 'done')
    .reverse();
  const results: CompensationResult[] = [];
  for (const { step, position, entry } of done) {
    const generation = entry?.generation ?? 0;
    if (!step.compensate) {
      results.push({ step: step.name, position, generation, output: entry?.output ?? null, calls: [], error: null });
      continue;
    }
    const ctx: CompensationContext = { ...context(step.name, generation), output: entry?.output ?? {} };
    const outcome = await captureProviderCalls(() => step.compensate?.(ctx) ?? Promise.resolve());
    results.push({
      step: step.name,
      position,
      generation,
      output: entry?.output ?? null,
      calls: outcome.calls,
      error: outcome.ok ? null : outcome.error instanceof Error ? outcome.error.message : String(outcome.error),
    });
  }
  return results;
}

/**
 * Journals what compensation did, in the failure's (or cancellation's) transaction: an undone
 * step gets a new generation, so a later retry really redoes it; a step whose undo failed stays
 * done, and ops are told to check the provider by hand.
 */
export function journalCompensation(
  batch: WriteBatch,
  who: LogSubject & { orderCode: string },
  results: readonly CompensationResult[],
  now: Date,
): void {
  for (const result of results) {
    if (!result.error) {
      journalStep(batch, {
        recordId: who.recordId,
        name: result.step,
        position: result.position,
        status: 'compensated',
        idempotencyKey: stepIdempotencyKey(who.recordId, result.step, result.generation),
        output: result.output,
        attempted: false,
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
          status: result.error ? 'failed' : 'success',
          errorMessage: result.error,
        },
      ],
      [{ step: result.step, attempt: 1, kind: 'compensation', list: result.calls }],
      now,
    );
  }
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) {
    raiseAlertIn(
      batch,
      {
        type: 'rollback_failure',
        severity: 'critical',
        message: `Order ${who.orderCode}: undoing ${failed.map((c) => c.step).join(', ')} failed; check the provider by hand.`,
        subjectType: 'fulfillment_record',
        subjectId: who.recordId,
      },
      now,
    );
  }
}
