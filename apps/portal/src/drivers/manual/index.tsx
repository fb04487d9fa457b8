import { manualInputSchema } from '@handover/contracts/drivers/manual';
import { Field } from '../../components/Field';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import type { CheckedLine, DriverViews } from '../types';

interface Values {
  notes: string;
}

export function checkNotes(values: Values): CheckedLine {
  const parsed = manualInputSchema.safeParse({ notes: values.notes });
  return parsed.success
    ? { ok: true, input: parsed.data, parts: 1 }
    : { ok: false, errors: fieldErrorsOf(parsed.error) };
}

/** Managed setup done by our team (seed 003): the customer says what they need in their own words. */
export const views: DriverViews<Values> = {
  orderForm: {
    initialValues: () => ({ notes: '' }),
    Fields: ({ values, onChange, errors }) => (
      <Field
        label="What should we set up for you?"
        hint="Anything we need to know, in your own words (optional)."
        rows={4}
        value={values.notes}
        onChange={(notes) => onChange({ notes })}
        errors={errors.notes}
      />
    ),
    check: checkNotes,
    Summary: ({ values }) =>
      values.notes.trim() ? (
        <div>
          <dt>Your request</dt>
          <dd>{values.notes.trim()}</dd>
        </div>
      ) : null,
    phone: { required: false, hint: 'Optional; for delivery messages by SMS.' },
    quantity: { kind: 'units' },
  },
};
