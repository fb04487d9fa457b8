import { esimInputSchema } from '@handover/contracts/drivers/esim';
import { Field } from '../../components/Field';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import type { CheckedLine, DriverViews } from '../types';
import { EsimDelivery } from './EsimDelivery';

interface Values {
  label: string;
}

function check(values: Values): CheckedLine {
  const parsed = esimInputSchema.safeParse(values);
  return parsed.success
    ? { ok: true, input: parsed.data, parts: 1 }
    : { ok: false, errors: fieldErrorsOf(parsed.error) };
}

/** Seed 004's eSIM: a data plan's profile, installed from its QR code; reissue and top-ups on the order page. */
export const views: DriverViews<Values> = {
  orderForm: {
    initialValues: () => ({ label: '' }),
    Fields: ({ values, onChange, errors }) => (
      <Field
        label="Name for this eSIM"
        hint="Optional: to tell your eSIMs apart, such as “Ama’s phone”."
        value={values.label}
        onChange={(label) => onChange({ label })}
        errors={errors.label}
      />
    ),
    check,
    Summary: ({ values }) =>
      values.label.trim() ? (
        <div>
          <dt>Name</dt>
          <dd>{values.label.trim()}</dd>
        </div>
      ) : null,
    phone: { required: false, hint: 'Optional; for messages about your eSIM.' },
    quantity: { kind: 'units' },
  },
  Delivery: EsimDelivery,
};
