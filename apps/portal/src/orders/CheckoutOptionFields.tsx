import type { CheckoutOption, PlanChoice } from '@handover/contracts';
import { useId } from 'react';
import { Field } from '../components/Field';
import type { FieldErrors } from '../forms/useZodForm';

/** One choice among a few, as radio buttons in a fieldset (plans, regions, paths). */
export function ChoiceGroup({
  legend,
  name,
  choices,
  value,
  onChange,
  errors = [],
}: {
  legend: string;
  name: string;
  choices: { value: string; label: string; description?: string }[];
  value: string;
  onChange(value: string): void;
  errors?: string[];
}) {
  const id = useId();
  return (
    <fieldset aria-describedby={errors.length ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {errors.length ? (
        <p id={`${id}-error`} className="field-error">
          {errors.join(' ')}
        </p>
      ) : null}
      {choices.map((choice) => (
        <label key={choice.value} className="choice">
          <input
            type="radio"
            name={`${name}-${id}`}
            value={choice.value}
            checked={value === choice.value}
            onChange={() => onChange(choice.value)}
          />
          <span>
            {choice.label}
            {choice.description ? <span className="muted"> — {choice.description}</span> : null}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

export const planChoices = (plans: PlanChoice[]) =>
  plans.map((plan) => ({ value: plan.id, label: plan.label, description: plan.description }));

/**
 * Seed 003 §7.1's product-specific options, drawn from what the product's config declares:
 * text and number inputs, or choices. Values are kept as typed; errors at `options.<key>`.
 */
export function CheckoutOptionFields({
  options,
  values,
  onChange,
  errors,
}: {
  options: CheckoutOption[];
  values: Record<string, string>;
  onChange(values: Record<string, string>): void;
  errors: FieldErrors;
}) {
  const set = (key: string, value: string) => onChange({ ...values, [key]: value });
  return (
    <>
      {options.map((option) =>
        option.type === 'choice' ? (
          <ChoiceGroup
            key={option.key}
            legend={`${option.label}${option.required ? '' : ' (optional)'}`}
            name={option.key}
            choices={option.choices}
            value={values[option.key] ?? ''}
            onChange={(value) => set(option.key, value)}
            errors={errors[`options.${option.key}`]}
          />
        ) : (
          <Field
            key={option.key}
            label={option.label}
            type={option.type === 'number' ? 'number' : 'text'}
            min={option.type === 'number' ? option.min : undefined}
            max={option.type === 'number' ? option.max : undefined}
            hint={option.hint ?? (option.required ? undefined : 'Optional.')}
            required={option.required}
            value={values[option.key] ?? ''}
            onChange={(value) => set(option.key, value)}
            errors={errors[`options.${option.key}`]}
          />
        ),
      )}
    </>
  );
}

/** The answers as the order line carries them: numbers as numbers, empty ones left out. */
export function optionValuesOf(
  options: CheckoutOption[],
  values: Record<string, string>,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const option of options) {
    const raw = values[option.key]?.trim() ?? '';
    if (raw === '') continue;
    out[option.key] = option.type === 'number' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  }
  return out;
}
