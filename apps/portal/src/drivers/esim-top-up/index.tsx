import { esimTopUpInputSchema } from '@handover/contracts/drivers/esim-top-up';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { useTRPC } from '../../trpc';
import type { CheckedLine, DriverViews } from '../types';

interface Values {
  iccid: string;
}

/** The eSIM the order page's "More data" link names (`?iccid=`), as a start. */
const fromLink = (): string => new URLSearchParams(window.location.search).get('iccid') ?? '';

function check(values: Values): CheckedLine {
  const parsed = esimTopUpInputSchema.safeParse(values);
  return parsed.success
    ? { ok: true, input: parsed.data, parts: 1 }
    : { ok: false, errors: fieldErrorsOf(parsed.error) };
}

/** The customer's eSIMs to choose from. */
function Fields({
  values,
  onChange,
  errors,
}: {
  values: Values;
  onChange(values: Values): void;
  errors: Record<string, string[]>;
}) {
  const trpc = useTRPC();
  const id = useId();
  const mine = useQuery(trpc.esim.mine.queryOptions());
  const options = mine.data ?? [];
  return (
    <div className="field">
      <label htmlFor={id}>eSIM to top up</label>
      {mine.isError ? <p className="field-error">Sign in to see your eSIMs.</p> : null}
      <select
        id={id}
        value={values.iccid}
        aria-invalid={Boolean(errors.iccid)}
        onChange={(event) => onChange({ iccid: event.target.value })}
      >
        <option value="">Choose one of your eSIMs</option>
        {options.map((esim) => (
          <option key={esim.iccid} value={esim.iccid}>
            {esim.label ? `${esim.label}, ` : ''}
            {esim.iccid} (order {esim.orderCode})
          </option>
        ))}
      </select>
      {errors.iccid ? <p className="field-error">{errors.iccid.join(' ')}</p> : null}
    </div>
  );
}

/** Seed 004's top-up: a data add-on applied to one of the customer's eSIMs. */
export const views: DriverViews<Values> = {
  orderForm: {
    initialValues: () => ({ iccid: fromLink() }),
    Fields,
    check,
    Summary: ({ values }) => (
      <div>
        <dt>eSIM</dt>
        <dd>{values.iccid}</dd>
      </div>
    ),
    phone: { required: false, hint: 'Optional; for messages about your top-up.' },
    quantity: { kind: 'units' },
  },
};
