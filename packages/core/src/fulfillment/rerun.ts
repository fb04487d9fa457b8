import type { FulfillmentStatus, StepStatus } from '@handover/contracts';

/** Whether "re-run from here" is offered for one step, and what it does (or why it is not offered), in words. */
export interface RerunOption {
  offered: boolean;
  effect: string;
}

/** A delivered record keeps what the provider made: re-running a step would make it again (a second order). */
const DELIVERED: readonly FulfillmentStatus[] = ['completed', 'active', 'suspended'];

/**
 * What re-running a record from each of its journalled steps would do, given the record's state.
 * Re-running redoes a step with a new idempotency key, so the provider does it anew: that is
 * only safe where nothing from that step on is still done at the provider. A step journalled
 * `done` has made something that stands (its compensation, if any, has not run), so a re-run
 * from it, or from any step before it, is not offered; once a failure or a cancellation has
 * undone the steps (journalled `compensated`), they may run again.
 */
export function rerunOptions(
  status: FulfillmentStatus,
  steps: readonly { name: string; status: StepStatus }[],
  running = false,
): RerunOption[] {
  return steps.map((_step, index) => {
    if (status === 'cancelled') return { offered: false, effect: 'A cancelled record is not run again.' };
    if (DELIVERED.includes(status)) {
      return {
        offered: false,
        effect:
          'Delivered: running it again would order it again at the provider. Refund the order to end the delivery instead.',
      };
    }
    if (running) return { offered: false, effect: 'This record is being worked on right now.' };
    const standing = steps.slice(index).filter((s) => s.status === 'done');
    if (standing.length > 0) {
      return {
        offered: false,
        effect: `${standing.map((s) => s.name).join(', ')} ${standing.length === 1 ? 'is' : 'are'} done at the provider and would be done a second time; cancel the record to undo ${standing.length === 1 ? 'it' : 'them'} first.`,
      };
    }
    const redone = steps.slice(index).map((s) => s.name);
    return {
      offered: true,
      effect: `Runs ${redone.join(', then ')} again as new requests to the provider. Nothing delivered is repeated, and the customer sees the order in progress.`,
    };
  });
}
