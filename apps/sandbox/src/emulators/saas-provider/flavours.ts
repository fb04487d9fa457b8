import { z } from 'zod';

/** How one provider behind the contract differs from another: its plans and what it needs to onboard. */
export interface Flavour {
  /** The plans it sells; null takes any plan name. */
  plans: readonly string[] | null;
  defaultPlan: string;
  /** The onboard request's `options` (the customer's checkout selections) it needs. */
  options: z.ZodType<Record<string, unknown>>;
  /** Whether it answers with subscription and owner-user ids (seed 003 §5.3 external_tenant_links). */
  linksAccounts: boolean;
}

const anyOptions = z.record(z.string(), z.unknown()).default({});

/** Any product without a flavour of its own: any plan, any options. */
const generic: Flavour = { plans: null, defaultPlan: 'standard', options: anyOptions, linksAccounts: false };

/**
 * Seed 003 §12: `point-of-sale` onboards through the contract and creates its tenant
 * idempotently by the order reference. What a POS needs to open a store (business name,
 * locations, currency, time zone) is the sandbox's assumption; the seed does not list it.
 */
const pointOfSale: Flavour = {
  plans: ['starter', 'growth', 'enterprise'],
  defaultPlan: 'starter',
  options: z.object({
    business_name: z.string().trim().min(1, 'is required').max(120),
    locations: z.number().int().min(1, 'must be at least 1').max(50, 'must be at most 50').default(1),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
      .default('USD'),
    timezone: z.string().min(1).optional(),
  }),
  linksAccounts: true,
};

export function flavourOf(product: string): Flavour {
  return product === 'point-of-sale' ? pointOfSale : generic;
}
