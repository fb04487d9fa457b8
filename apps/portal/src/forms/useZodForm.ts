import { installHumanErrorMessages } from '@handover/contracts';
import { useState } from 'react';
import type { z } from 'zod';
import { describeProblem } from '../errors';

// Forms load with the pages that have them: the messages people read come with them, not with the first load.
installHumanErrorMessages();

export type FieldErrors = Record<string, string[]>;

/**
 * A form checked by the same zod schema the server uses: errors appear beside each field before
 * the request, and the server's field errors (if it still refuses) land in the same place.
 */
export function useZodForm<S extends z.ZodType<unknown, Record<string, unknown>>>(schema: S, initial: z.input<S>) {
  const [values, setValues] = useState<z.input<S>>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const set = <K extends keyof z.input<S>>(key: K, value: z.input<S>[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key as string]: [] }));
  };

  const submit = (send: (data: z.output<S>) => Promise<unknown>) => async (event: React.FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      const next: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.join('.') || 'form';
        next[key] = [...(next[key] ?? []), issue.message];
      }
      setErrors(next);
      return;
    }
    setSubmitting(true);
    try {
      await send(parsed.data);
      setErrors({});
    } catch (error) {
      const problem = describeProblem(error);
      setErrors(problem.fieldErrors);
      setFormError(problem.message);
    } finally {
      setSubmitting(false);
    }
  };

  return { values, set, errors, setErrors, formError, setFormError, submitting, submit };
}
