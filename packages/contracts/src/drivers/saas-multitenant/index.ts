import { z } from 'zod';
import {
  checkoutOptionsSchema,
  optionValuesSchema,
  type PlanChoice,
  parseOptionValues,
  planChoiceSchema,
} from '../../checkoutOptions';
import { defineDriverContract } from '../../driverContract';

/** Seed 003 §3.2 MultiTenantSaasAdapter: a tenant at the vendor's SaaS, through the provider contract (§8). */
export const SAAS_MULTITENANT_DRIVER = 'saas-multitenant';

/** The contract's paths (seed 003 §8), relative to the provider's base URL. */
export const PROVIDER_CONTRACT_PATHS = {
  onboard: '/api/marketplace/onboard',
  suspend: '/api/marketplace/suspend',
  resume: '/api/marketplace/resume',
  cancel: '/api/marketplace/cancel',
  upgrade: '/api/marketplace/upgrade',
  status: '/api/marketplace/status/{external_reference}',
} as const;

const endpoint = z
  .string()
  .trim()
  .regex(/^\/[^\s]*$/, 'must be a path starting with /');
const statusEndpoint = endpoint.refine(
  (path) => path.includes('{external_reference}'),
  'must contain {external_reference}',
);

/**
 * Seed 003 §5.4 `multitenant_saas`, with its field names: where the provider's contract lives,
 * how calls are signed (only `hmac`: the contract signs every call so the provider can check the
 * body and refuse replays), the key-ring reference of the secret (never the secret), the
 * timeout, and what the customer chooses at checkout (a plan, the options the provider needs).
 */
export const saasMultitenantConfigSchema = z
  .object({
    base_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    onboard_endpoint: endpoint.default(PROVIDER_CONTRACT_PATHS.onboard),
    status_endpoint: statusEndpoint.default(PROVIDER_CONTRACT_PATHS.status),
    suspend_endpoint: endpoint.default(PROVIDER_CONTRACT_PATHS.suspend),
    resume_endpoint: endpoint.default(PROVIDER_CONTRACT_PATHS.resume),
    cancel_endpoint: endpoint.default(PROVIDER_CONTRACT_PATHS.cancel),
    upgrade_endpoint: endpoint.default(PROVIDER_CONTRACT_PATHS.upgrade),
    auth_mode: z.literal('hmac', 'must be "hmac": the provider contract signs every call').default('hmac'),
    credentials_ref: z
      .string()
      .trim()
      .min(1, 'must name the secret in the key ring')
      .regex(/^[a-z0-9][a-z0-9._/-]{0,119}$/, 'must be a key-ring reference such as point-of-sale/hmac'),
    timeout_seconds: z.number().int().min(1).max(120).default(15),
    /** A provider that answers `provisioning` is asked again this often, at most `max_polls` times. */
    poll_interval_seconds: z.number().min(0.05).max(600).default(10),
    max_polls: z.number().int().min(1).max(1000).default(90),
    /** The plans the customer chooses from; none: the provider's default plan. */
    plans: z.array(planChoiceSchema).max(20).default([]),
    default_plan: z.string().trim().min(1).max(60).nullable().default(null),
    /** What the provider needs to open the tenant (a business name, the number of locations). */
    options: checkoutOptionsSchema,
  })
  .superRefine((config, ctx) => {
    if (config.default_plan && config.plans.length > 0 && !config.plans.some((p) => p.id === config.default_plan)) {
      ctx.addIssue({ code: 'custom', path: ['default_plan'], message: 'must be one of the plans' });
    }
  });
export type SaasMultitenantConfig = z.output<typeof saasMultitenantConfigSchema>;

/** One order line: the plan chosen and the options' answers. */
export const saasMultitenantOrderSchema = z.object({
  plan: z.string().trim().max(60).nullable().default(null),
  options: optionValuesSchema,
});
export type SaasMultitenantOrder = z.output<typeof saasMultitenantOrderSchema>;

/** What the order form shows: the plans, the default one, and the options to fill in. */
export function saasMultitenantCheckoutOptions(config: SaasMultitenantConfig): {
  plans: PlanChoice[];
  defaultPlan: string | null;
  options: SaasMultitenantConfig['options'];
} {
  return {
    plans: config.plans,
    defaultPlan: config.default_plan ?? config.plans[0]?.id ?? null,
    options: config.options,
  };
}

/**
 * A plan the product sells (when it lists any), and every option it needs, answered: checked
 * against what the order form offers, so the portal checks with it too.
 */
export function checkSaasMultitenantChoices(
  form: SaasMultitenantOrder,
  offered: Pick<ReturnType<typeof saasMultitenantCheckoutOptions>, 'plans' | 'options'>,
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (offered.plans.length > 0) {
    if (!form.plan) errors.plan = ['Choose a plan'];
    else if (!offered.plans.some((plan) => plan.id === form.plan)) {
      errors.plan = [`Choose one of: ${offered.plans.map((plan) => plan.label).join(', ')}`];
    }
  }
  const options = parseOptionValues(offered.options, form.options);
  return options.ok ? errors : { ...errors, ...options.errors };
}

export const checkSaasMultitenantLine = (form: SaasMultitenantOrder, config: SaasMultitenantConfig) =>
  checkSaasMultitenantChoices(form, saasMultitenantCheckoutOptions(config));

export const saasMultitenantContract = defineDriverContract({
  driver: SAAS_MULTITENANT_DRIVER,
  configSchema: saasMultitenantConfigSchema,
  inputSchema: saasMultitenantOrderSchema,
  checkoutOptions: saasMultitenantCheckoutOptions,
  checkLine: checkSaasMultitenantLine,
});
