import { installHumanErrorMessages } from '@handover/contracts';
import type { z } from 'zod';
import type { FieldErrors } from './useZodForm';

// Forms load with the pages that have them: the messages people read come with them, not with the first load.
installHumanErrorMessages();

/** A schema's refusal as the form shows it: each message at its field's path (`domains.0.domain`). */
export function fieldErrorsOf(error: z.ZodError, into: FieldErrors = {}): FieldErrors {
  for (const issue of error.issues) {
    const key = issue.path.join('.') || 'form';
    into[key] = [...new Set([...(into[key] ?? []), issue.message])];
  }
  return into;
}
