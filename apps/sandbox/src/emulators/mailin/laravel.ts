import type { z } from 'zod';

/** The body Mailin.ai's (Laravel) API answers 422 with: the first problem, then every one by field. */
export interface ValidationBody {
  message: string;
  errors: Record<string, string[]>;
}

export function validationBody(errors: Record<string, string[]>): ValidationBody {
  const messages = Object.values(errors).flat();
  const more = messages.length - 1;
  const suffix = more > 0 ? ` (and ${more} more error${more === 1 ? '' : 's'})` : '';
  return { message: `${messages[0] ?? 'The given data was invalid.'}${suffix}`, errors };
}

/** A zod failure as Laravel names fields: `mailboxes.0.username`. */
export function zodValidationBody(error: z.ZodError): ValidationBody {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.join('.') || 'body';
    errors[field] = [...(errors[field] ?? []), issue.message];
  }
  return validationBody(errors);
}
