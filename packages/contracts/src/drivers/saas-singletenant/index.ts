import { z } from 'zod';
import { defineDriverContract } from '../../driverContract';
import { isDomainName, normalizeHostname } from '../../hostname';

/** Seed 003 §3.2 SingleTenantProvisioningAdapter: a dedicated instance from an instance-provisioning API. */
export const SAAS_SINGLETENANT_DRIVER = 'saas-singletenant';

export const DOMAIN_STRATEGIES = ['subdomain', 'custom_domain'] as const;
export type DomainStrategy = (typeof DOMAIN_STRATEGIES)[number];

const catalogueId = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, `must be the provider's ${what} id, such as crm-standard`);

/**
 * Seed 003 §5.4 `singletenant_provisioning`: the server template, the resource limits profile
 * (the provider's plan), where instances may run, the default domain strategy (and whether the
 * customer may bring their own domain instead), and how the provisioning is followed.
 */
export const saasSingletenantConfigSchema = z
  .object({
    template: catalogueId('template'),
    resource_profile: catalogueId('plan').default('small'),
    /** The regions offered; the first is the default, and the customer chooses when there are several. */
    regions: z.array(catalogueId('region')).min(1, 'offer at least one region').max(20),
    domain_strategy: z.enum(DOMAIN_STRATEGIES).default('subdomain'),
    /** Whether the customer may choose the other strategy at checkout. */
    allow_custom_domain: z.boolean().default(false),
    poll_interval_seconds: z.number().min(0.05).max(600).default(15),
    /** Polls before the record fails (15 s × 120: half an hour). */
    max_polls: z.number().int().min(1).max(2000).default(120),
  })
  .superRefine((config, ctx) => {
    if (new Set(config.regions).size !== config.regions.length) {
      ctx.addIssue({ code: 'custom', path: ['regions'], message: 'lists a region twice' });
    }
  });
export type SaasSingletenantConfig = z.output<typeof saasSingletenantConfigSchema>;

/** A DNS label: the customer's instance at `<label>.<the provider's zone>`. */
const subdomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)$/, 'Use 1 to 63 letters, digits and dashes, not starting or ending with a dash');

const customDomainSchema = z
  .string()
  .trim()
  .refine(isDomainName, 'Enter a host name such as crm.mybusiness.com, without http://')
  .transform(normalizeHostname);

/** One order line: where the instance runs and the address it answers on. */
export const saasSingletenantOrderSchema = z
  .object({
    region: z.string().trim().max(64).nullable().default(null),
    domainStrategy: z.enum(DOMAIN_STRATEGIES).default('subdomain'),
    subdomain: z.string().trim().max(63).default(''),
    customDomain: z.string().trim().max(253).default(''),
  })
  .transform((line, ctx) => {
    const address =
      line.domainStrategy === 'subdomain'
        ? subdomainSchema.safeParse(line.subdomain)
        : customDomainSchema.safeParse(line.customDomain);
    if (!address.success) {
      for (const issue of address.error.issues) {
        ctx.addIssue({
          code: 'custom',
          path: [line.domainStrategy === 'subdomain' ? 'subdomain' : 'customDomain'],
          message: line[line.domainStrategy === 'subdomain' ? 'subdomain' : 'customDomain']
            ? issue.message
            : line.domainStrategy === 'subdomain'
              ? 'Choose the name of your instance'
              : 'Enter the host name of your own domain',
        });
      }
      return z.NEVER;
    }
    return line.domainStrategy === 'subdomain'
      ? { region: line.region, domainStrategy: 'subdomain' as const, subdomain: address.data, customDomain: '' }
      : { region: line.region, domainStrategy: 'custom_domain' as const, subdomain: '', customDomain: address.data };
  });
export type SaasSingletenantOrder = z.output<typeof saasSingletenantOrderSchema>;

/** What the order form shows: the regions, the default one, and which addresses may be chosen. */
export function saasSingletenantCheckoutOptions(config: SaasSingletenantConfig) {
  const other = config.domain_strategy === 'subdomain' ? 'custom_domain' : 'subdomain';
  return {
    regions: config.regions,
    defaultRegion: config.regions[0] ?? null,
    domainStrategies: config.allow_custom_domain ? [config.domain_strategy, other] : [config.domain_strategy],
    defaultDomainStrategy: config.domain_strategy,
  };
}

/** A region and an address strategy the product offers (what its order form offers; the portal checks with it too). */
export function checkSaasSingletenantChoices(
  form: SaasSingletenantOrder,
  offered: Pick<ReturnType<typeof saasSingletenantCheckoutOptions>, 'regions' | 'domainStrategies'>,
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (form.region && !offered.regions.includes(form.region)) {
    errors.region = [`Choose one of: ${offered.regions.join(', ')}`];
  }
  if (!offered.domainStrategies.includes(form.domainStrategy)) {
    errors.domainStrategy = [
      offered.domainStrategies[0] === 'subdomain'
        ? 'This product runs on a name of our domain; choose a name instead'
        : 'This product runs on your own domain; enter its host name',
    ];
  }
  return errors;
}

export const checkSaasSingletenantLine = (form: SaasSingletenantOrder, config: SaasSingletenantConfig) =>
  checkSaasSingletenantChoices(form, saasSingletenantCheckoutOptions(config));

/** What the record is for, as staff and the customer read it: the instance's address. */
export const singletenantSubject = (form: SaasSingletenantOrder): string =>
  form.domainStrategy === 'subdomain' ? form.subdomain : form.customDomain;

export const saasSingletenantContract = defineDriverContract({
  driver: SAAS_SINGLETENANT_DRIVER,
  configSchema: saasSingletenantConfigSchema,
  inputSchema: saasSingletenantOrderSchema,
  checkoutOptions: saasSingletenantCheckoutOptions,
  checkLine: checkSaasSingletenantLine,
});
