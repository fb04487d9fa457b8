import type { FieldErrors } from '../forms/useZodForm';
import { Field } from './Field';

/** An address as the form holds it (seed 004: billing address = service address). */
export interface AddressValues {
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export const emptyAddress = (): AddressValues => ({
  line1: '',
  line2: '',
  city: '',
  region: '',
  postalCode: '',
  country: '',
});

/** The fields of an address; `prefix` names its errors (`billingAddress.postalCode`). */
export function AddressFields({
  legend,
  value,
  onChange,
  errors,
  prefix,
  hint,
}: {
  legend: string;
  value: AddressValues;
  onChange(value: AddressValues): void;
  errors: FieldErrors;
  prefix: string;
  hint?: string;
}) {
  const set = (key: keyof AddressValues) => (text: string) => onChange({ ...value, [key]: text });
  const errorsOf = (key: keyof AddressValues) => errors[`${prefix}.${key}`];
  return (
    <fieldset>
      <legend>{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      <Field
        label="Street and number"
        autoComplete="address-line1"
        value={value.line1}
        onChange={set('line1')}
        errors={errorsOf('line1')}
        required
      />
      <Field
        label="Flat, floor (optional)"
        autoComplete="address-line2"
        value={value.line2}
        onChange={set('line2')}
        errors={errorsOf('line2')}
      />
      <Field
        label="Town or city"
        autoComplete="address-level2"
        value={value.city}
        onChange={set('city')}
        errors={errorsOf('city')}
        required
      />
      <Field
        label="Region (optional)"
        autoComplete="address-level1"
        value={value.region}
        onChange={set('region')}
        errors={errorsOf('region')}
      />
      <Field
        label="Postal code"
        autoComplete="postal-code"
        value={value.postalCode}
        onChange={set('postalCode')}
        errors={errorsOf('postalCode')}
      />
      <Field
        label="Country"
        autoComplete="country"
        hint="Two letters, such as GB, US or GH."
        value={value.country}
        onChange={set('country')}
        errors={errorsOf('country')}
        required
      />
    </fieldset>
  );
}
