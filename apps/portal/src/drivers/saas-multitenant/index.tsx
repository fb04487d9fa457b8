import type { CheckoutOption, PlanChoice } from '@handover/contracts';
import { checkSaasMultitenantChoices, saasMultitenantOrderSchema } from '@handover/contracts/drivers/saas-multitenant';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { CheckoutOptionFields, ChoiceGroup, optionValuesOf, planChoices } from '../../orders/CheckoutOptionFields';
import { ResultDetails } from '../../orders/ResultDetails';
import type { CheckedLine, DriverViews } from '../types';

interface Values {
  plan: string;
  options: Record<string, string>;
}

/** What the catalog says this product offers (saasMultitenantCheckoutOptions). */
interface Offered {
  plans: PlanChoice[];
  defaultPlan: string | null;
  options: CheckoutOption[];
}
const offeredOf = (options: Record<string, unknown>): Offered => ({
  plans: (options.plans as PlanChoice[] | undefined) ?? [],
  defaultPlan: (options.defaultPlan as string | null | undefined) ?? null,
  options: (options.options as CheckoutOption[] | undefined) ?? [],
});

export function checkTenantLine(values: Values, offered: Offered): CheckedLine {
  const parsed = saasMultitenantOrderSchema.safeParse({
    plan: values.plan || offered.defaultPlan,
    options: optionValuesOf(offered.options, values.options),
  });
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  const refused = checkSaasMultitenantChoices(parsed.data, offered);
  return Object.keys(refused).length > 0 ? { ok: false, errors: refused } : { ok: true, input: parsed.data, parts: 1 };
}

/** Seed 003 §12: a SaaS workspace (point-of-sale): the plan, and what the provider needs to open it. */
export const views: DriverViews<Values> = {
  orderForm: {
    initialValues: () => ({ plan: '', options: {} }),
    Fields: ({ values, onChange, errors, options }) => {
      const offered = offeredOf(options);
      return (
        <>
          {offered.plans.length > 0 ? (
            <ChoiceGroup
              legend="Plan"
              name="plan"
              choices={planChoices(offered.plans)}
              value={values.plan || offered.defaultPlan || ''}
              onChange={(plan) => onChange({ ...values, plan })}
              errors={errors.plan}
            />
          ) : null}
          {offered.options.length > 0 ? (
            <fieldset>
              <legend>Your workspace</legend>
              <CheckoutOptionFields
                options={offered.options}
                values={values.options}
                onChange={(answers) => onChange({ ...values, options: answers })}
                errors={errors}
              />
            </fieldset>
          ) : null}
        </>
      );
    },
    check: (values, _contact, options) => checkTenantLine(values, offeredOf(options)),
    Summary: ({ values, options }) => {
      const offered = offeredOf(options);
      const plan = offered.plans.find((p) => p.id === (values.plan || offered.defaultPlan));
      return (
        <>
          {plan ? (
            <div>
              <dt>Plan</dt>
              <dd>{plan.label}</dd>
            </div>
          ) : null}
          {offered.options
            .filter((option) => values.options[option.key]?.trim())
            .map((option) => (
              <div key={option.key}>
                <dt>{option.label}</dt>
                <dd>
                  {option.type === 'choice'
                    ? (option.choices.find((c) => c.value === values.options[option.key])?.label ?? '')
                    : values.options[option.key]}
                </dd>
              </div>
            ))}
        </>
      );
    },
    phone: { required: false, hint: 'Optional; for delivery messages by SMS.' },
    quantity: { kind: 'units' },
  },
  // "Open your workspace" (seed 003 §8): the provider's URL, once the tenant is there.
  Delivery: ({ delivery }) => {
    const url = typeof delivery.result.workspaceUrl === 'string' ? delivery.result.workspaceUrl : null;
    return (
      <>
        {url && delivery.status !== 'cancelled' ? (
          <p>
            <a className="button" href={url} target="_blank" rel="noreferrer">
              Open your workspace
            </a>
          </p>
        ) : null}
        <ResultDetails result={delivery.result} omit={['workspaceUrl']} />
      </>
    );
  },
};
