import { activationMomentSchema, describeMoment, instantOf } from '@handover/contracts';
import { useId } from 'react';
import { Field } from '../components/Field';
import type { FieldErrors } from '../forms/useZodForm';

export interface MomentValues {
  date: string;
  time: string;
  timeZone: string;
}

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const zones = (current: string): string[] => {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
  return [...new Set([current, ...known])];
};

/** Tomorrow at 09:00 in the browser's zone: a starting point the customer changes. */
export const defaultMoment = (): MomentValues => ({
  date: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
  time: '09:00',
  timeZone: browserTimeZone(),
});

/** The moment the fields describe, in words with its zone, when they make one. */
export function describeChosen(values: MomentValues): string | null {
  const parsed = activationMomentSchema.safeParse(values);
  return parsed.success ? describeMoment(instantOf(parsed.data), parsed.data.timeZone) : null;
}

/**
 * Seed 004 5a: when the customer wants the service activated, where the product lets them choose:
 * a date, a time, and the time zone they mean (their browser's unless they say otherwise).
 */
export function ActivationFields({
  values,
  onChange,
  errors,
}: {
  values: MomentValues;
  onChange(values: MomentValues): void;
  errors: FieldErrors;
}) {
  const zoneId = useId();
  const chosen = describeChosen(values);
  return (
    <fieldset>
      <legend>When should it be activated?</legend>
      <p className="hint">We check everything it needs three days before, and tell you if something is missing.</p>
      <div className="field">
        <label htmlFor={`${zoneId}-date`}>Activation date</label>
        <input
          id={`${zoneId}-date`}
          type="date"
          value={values.date}
          aria-invalid={Boolean(errors['activation.date'])}
          onChange={(event) => onChange({ ...values, date: event.target.value })}
        />
        {errors['activation.date'] ? <p className="field-error">{errors['activation.date'].join(' ')}</p> : null}
      </div>
      <Field
        label="Time"
        value={values.time}
        onChange={(time) => onChange({ ...values, time })}
        errors={errors['activation.time']}
        hint="24-hour clock, such as 09:00."
      />
      <div className="field">
        <label htmlFor={`${zoneId}-zone`}>Time zone</label>
        <select
          id={`${zoneId}-zone`}
          value={values.timeZone}
          onChange={(event) => onChange({ ...values, timeZone: event.target.value })}
        >
          {zones(values.timeZone).map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </div>
      {chosen ? <p className="muted">Activated {chosen}.</p> : null}
    </fieldset>
  );
}
