import { WebhookVerificationError } from '@handover/core';
import type { z } from 'zod';

/**
 * Parses a verified payload with the schema its event type calls for. A signed payload we cannot
 * read is not something to retry, so it is refused like an unverifiable one.
 */
export function parsePayload<S extends z.ZodType>(
  gateway: string,
  eventType: string,
  schema: S,
  payload: unknown,
): z.output<S> {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new WebhookVerificationError(
      `${gateway} ${eventType} payload is not as documented: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  return result.data;
}
