import { licenseOrderSchema } from '@handover/contracts/drivers/license';
import { Field } from '../../components/Field';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { FilesYouGet, OnProductsPage } from '../download';
import type { CheckedLine, DriverViews } from '../types';

interface Values {
  licensee: string;
}

export function checkLicenseLine(values: Values): CheckedLine {
  const parsed = licenseOrderSchema.safeParse(values);
  return parsed.success
    ? { ok: true, input: parsed.data, parts: 1 }
    : { ok: false, errors: fieldErrorsOf(parsed.error) };
}

/** Seed 003 `self_hosted_license`: whom the licence is for, and what comes with it. */
export const views: DriverViews<Values> = {
  orderForm: {
    initialValues: () => ({ licensee: '' }),
    Fields: ({ values, onChange, errors, options }) => {
      const limit = typeof options.activationLimit === 'number' ? options.activationLimit : null;
      return (
        <>
          <Field
            label="Licensed to"
            hint="The company or person the licence key names (optional)."
            value={values.licensee}
            onChange={(licensee) => onChange({ licensee })}
            errors={errors.licensee}
          />
          {limit ? (
            <p className="muted">
              One licence key, for up to {limit} {limit === 1 ? 'machine' : 'machines'} at a time
              {options.licenseType === 'term' && options.termDays ? `, valid ${String(options.termDays)} days` : ''}.
            </p>
          ) : null}
          <FilesYouGet options={options} />
        </>
      );
    },
    check: (values) => checkLicenseLine(values),
    Summary: ({ values }) =>
      values.licensee.trim() ? (
        <div>
          <dt>Licensed to</dt>
          <dd>{values.licensee.trim()}</dd>
        </div>
      ) : null,
    phone: { required: false, hint: 'Optional; for delivery messages by SMS.' },
    quantity: { kind: 'units' },
  },
  Delivery: ({ delivery }) => (
    <OnProductsPage
      delivery={delivery}
      what="Your licence key, its activations and the downloads are on your Products page."
    />
  ),
};
