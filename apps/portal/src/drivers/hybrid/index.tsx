import type { FieldErrors } from '../../forms/useZodForm';
import { ChoiceGroup } from '../../orders/CheckoutOptionFields';
import { views as downloadViews, OnProductsPage } from '../download';
import { views as licenseViews } from '../license';
import { views as manualViews } from '../manual';
import { views as multitenantViews } from '../saas-multitenant';
import { views as singletenantViews } from '../saas-singletenant';
import type { DriverOrderForm, DriverViews } from '../types';

/** The order forms a hybrid product's paths may use: the drivers its contract delegates to. */
// biome-ignore lint/suspicious/noExplicitAny: each path's form holds values of its own shape.
const PATH_FORMS: Record<string, DriverOrderForm<any>> = {
  license: licenseViews.orderForm,
  download: downloadViews.orderForm,
  manual: manualViews.orderForm,
  'saas-multitenant': multitenantViews.orderForm,
  'saas-singletenant': singletenantViews.orderForm,
};

interface Path {
  id: string;
  label: string;
  description: string;
  driver: string;
  options: Record<string, unknown>;
}
const pathsOf = (options: Record<string, unknown>): Path[] => (options.paths as Path[] | undefined) ?? [];

interface Values {
  path: string;
  /** The chosen path's own form values. */
  input: unknown;
}

/** The errors of the path's own fields, named as its form names them (`input.licensee` → `licensee`). */
function pathErrors(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(
    Object.entries(errors)
      .filter(([key]) => key.startsWith('input.'))
      .map(([key, messages]) => [key.slice('input.'.length), messages]),
  );
}

/** Seed 003 `hybrid`: the customer picks a path, then fills in that path's own form. */
export const views: DriverViews<Values> = {
  orderForm: {
    initialValues: () => ({ path: '', input: {} }),
    Fields: ({ values, onChange, errors, facts, options }) => {
      const paths = pathsOf(options);
      const chosen = paths.find((path) => path.id === values.path);
      const form = chosen ? PATH_FORMS[chosen.driver] : undefined;
      return (
        <>
          <ChoiceGroup
            legend="How would you like it delivered?"
            name="path"
            choices={paths.map((path) => ({ value: path.id, label: path.label, description: path.description }))}
            value={values.path}
            onChange={(path) => {
              const next = paths.find((p) => p.id === path);
              const nextForm = next ? PATH_FORMS[next.driver] : undefined;
              onChange({ path, input: nextForm?.initialValues() ?? {} });
            }}
            errors={errors.path}
          />
          {chosen && form ? (
            <form.Fields
              values={values.input}
              onChange={(input) => onChange({ ...values, input })}
              errors={pathErrors(errors)}
              facts={facts}
              options={chosen.options}
            />
          ) : null}
        </>
      );
    },
    check: (values, contact, options) => {
      const chosen = pathsOf(options).find((path) => path.id === values.path);
      const form = chosen ? PATH_FORMS[chosen.driver] : undefined;
      if (!chosen || !form) return { ok: false, errors: { path: ['Choose how you want it delivered'] } };
      const line = form.check(values.input, contact, chosen.options);
      if (!line.ok) {
        return {
          ok: false,
          errors: Object.fromEntries(Object.entries(line.errors).map(([key, messages]) => [`input.${key}`, messages])),
        };
      }
      return { ok: true, input: { path: chosen.id, input: line.input }, parts: 1 };
    },
    Summary: ({ values, options }) => {
      const chosen = pathsOf(options).find((path) => path.id === values.path);
      const form = chosen ? PATH_FORMS[chosen.driver] : undefined;
      return chosen ? (
        <>
          <div>
            <dt>Delivery</dt>
            <dd>{chosen.label}</dd>
          </div>
          {form ? <form.Summary values={values.input} options={chosen.options} /> : null}
        </>
      ) : null;
    },
    phone: { required: false, hint: 'Optional; for delivery messages by SMS.' },
    quantity: { kind: 'units' },
  },
  Delivery: ({ delivery }) =>
    typeof delivery.result.note === 'string' ? (
      <p className="notice notice-ok">{delivery.result.note}</p>
    ) : (
      <OnProductsPage delivery={delivery} what="What you bought is on your Products page." />
    ),
};
