import {
  checkSaasSingletenantChoices,
  type DomainStrategy,
  saasSingletenantOrderSchema,
} from '@handover/contracts/drivers/saas-singletenant';
import { Field } from '../../components/Field';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { ChoiceGroup } from '../../orders/CheckoutOptionFields';
import type { CheckedLine, DriverViews } from '../types';
import { InstanceDelivery } from './InstanceDelivery';

interface Values {
  region: string;
  domainStrategy: DomainStrategy | '';
  subdomain: string;
  customDomain: string;
}

/** What the catalog says this product offers (saasSingletenantCheckoutOptions). */
interface Offered {
  regions: string[];
  defaultRegion: string | null;
  domainStrategies: DomainStrategy[];
  defaultDomainStrategy: DomainStrategy;
}
const offeredOf = (options: Record<string, unknown>): Offered => ({
  regions: (options.regions as string[] | undefined) ?? [],
  defaultRegion: (options.defaultRegion as string | null | undefined) ?? null,
  domainStrategies: (options.domainStrategies as DomainStrategy[] | undefined) ?? ['subdomain'],
  defaultDomainStrategy: (options.defaultDomainStrategy as DomainStrategy | undefined) ?? 'subdomain',
});

const REGION_NAMES: Record<string, string> = {
  'eu-central': 'Europe (Frankfurt)',
  'eu-west': 'Europe (Ireland)',
  'us-east': 'United States (east)',
  'us-west': 'United States (west)',
  'ap-southeast': 'Asia Pacific (Singapore)',
};
const regionName = (region: string) => REGION_NAMES[region] ?? region;

export function checkInstanceLine(values: Values, offered: Offered): CheckedLine {
  const parsed = saasSingletenantOrderSchema.safeParse({
    region: values.region || offered.defaultRegion,
    domainStrategy: values.domainStrategy || offered.defaultDomainStrategy,
    subdomain: values.subdomain,
    customDomain: values.customDomain,
  });
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  const refused = checkSaasSingletenantChoices(parsed.data, offered);
  return Object.keys(refused).length > 0 ? { ok: false, errors: refused } : { ok: true, input: parsed.data, parts: 1 };
}

/** Seed 003 `saas_singletenant`: a dedicated instance, where it runs and the address it answers on. */
export const views: DriverViews<Values> = {
  orderForm: {
    initialValues: () => ({ region: '', domainStrategy: '', subdomain: '', customDomain: '' }),
    Fields: ({ values, onChange, errors, options }) => {
      const offered = offeredOf(options);
      const strategy = values.domainStrategy || offered.defaultDomainStrategy;
      return (
        <fieldset>
          <legend>Your instance</legend>
          {offered.regions.length > 1 ? (
            <ChoiceGroup
              legend="Where it runs"
              name="region"
              choices={offered.regions.map((region) => ({ value: region, label: regionName(region) }))}
              value={values.region || offered.defaultRegion || ''}
              onChange={(region) => onChange({ ...values, region })}
              errors={errors.region}
            />
          ) : null}
          {offered.domainStrategies.length > 1 ? (
            <ChoiceGroup
              legend="Its address"
              name="domainStrategy"
              choices={offered.domainStrategies.map((value) => ({
                value,
                label: value === 'subdomain' ? 'A name on our domain' : 'My own domain',
              }))}
              value={strategy}
              onChange={(domainStrategy) => onChange({ ...values, domainStrategy: domainStrategy as DomainStrategy })}
              errors={errors.domainStrategy}
            />
          ) : null}
          {strategy === 'subdomain' ? (
            <Field
              label="Instance name"
              hint="Letters, digits and dashes: it becomes the first part of your instance's address."
              value={values.subdomain}
              onChange={(subdomain) => onChange({ ...values, subdomain })}
              errors={errors.subdomain}
              required
            />
          ) : (
            <Field
              label="Host name on your domain"
              hint="Such as crm.mybusiness.com. We tell you where to point it once the instance is ready."
              value={values.customDomain}
              onChange={(customDomain) => onChange({ ...values, customDomain })}
              errors={errors.customDomain}
              required
            />
          )}
        </fieldset>
      );
    },
    check: (values, _contact, options) => checkInstanceLine(values, offeredOf(options)),
    Summary: ({ values, options }) => {
      const offered = offeredOf(options);
      const strategy = values.domainStrategy || offered.defaultDomainStrategy;
      const region = values.region || offered.defaultRegion;
      return (
        <>
          {region ? (
            <div>
              <dt>Runs in</dt>
              <dd>{regionName(region)}</dd>
            </div>
          ) : null}
          <div>
            <dt>{strategy === 'subdomain' ? 'Instance name' : 'Host name'}</dt>
            <dd>{strategy === 'subdomain' ? values.subdomain.trim().toLowerCase() : values.customDomain.trim()}</dd>
          </div>
        </>
      );
    },
    phone: { required: false, hint: 'Optional; for delivery messages by SMS.' },
    quantity: { kind: 'units' },
  },
  Delivery: InstanceDelivery,
};
