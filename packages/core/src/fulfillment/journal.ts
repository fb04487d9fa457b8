/**
 * The key sent to the provider for a step: the same on every attempt, so a retried call
 * after a crash or timeout is recognised; a new generation only when the step must be redone.
 */
export function stepIdempotencyKey(recordId: string, step: string, generation: number): string {
  return generation === 0 ? `${recordId}:${step}` : `${recordId}:${step}:g${generation}`;
}
