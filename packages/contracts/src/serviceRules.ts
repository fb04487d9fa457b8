import { z } from 'zod';
import { PROFILE_FIELDS } from './customerProfile';

/**
 * What activation may need to be checked before the date (seed 004 5a's preflight), besides the
 * driver's own checks: each is implemented by whatever holds the fact (a billing system holds
 * the customer's payment methods) and registered by the worker.
 */
export const ACTIVATION_CHECKS = ['payment_method_on_file'] as const;
export type ActivationCheckId = (typeof ACTIVATION_CHECKS)[number];

export const ACTIVATION_CHECK_LABELS: Record<ActivationCheckId, string> = {
  payment_method_on_file: 'A payment method on file with the billing system',
};

/**
 * Seed 004's business rules, declared per product and checked in core where the order is placed.
 * A product without rules has `{}`: every field has a default that imposes nothing.
 */
export const serviceRulesSchema = z
  .object({
    /**
     * What kind of service this is (`home_internet`): products of one kind are the same service
     * for `onePerAccount`, whatever their speed or price.
     */
    serviceKind: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{1,62}$/, 'lower-case letters, digits and underscores, such as home_internet')
      .nullable()
      .default(null),
    /** Seed 004: "Single Internet per account": a second one is refused with a link to the first. */
    onePerAccount: z.boolean().default(false),
    /** Seed 004: "One service per Order": a cart with two becomes two orders, each paid and reviewed. */
    oneServicePerOrder: z.boolean().default(false),
    /** Seed 004: billing address = service address, captured once, validated, snapshotted on the order. */
    billingAddressIsServiceAddress: z.boolean().default(false),
    /** Profile fields the customer must have filled in to order it. */
    requiredProfile: z.array(z.enum(PROFILE_FIELDS)).default([]),
    /** The customer must be at least this old on the day of the order (their date of birth is then required). */
    minimumAge: z.number().int().min(1).max(120).nullable().default(null),
    /** What the preflight checks before a scheduled activation, besides the driver's own checks. */
    activationChecks: z.array(z.enum(ACTIVATION_CHECKS)).default([]),
    /**
     * Seed 004: the product's code in the operator system's catalog (Salesforce's ProductCode).
     * Set, the portal shows it only to customers whose operator-system account is eligible for it,
     * and an order of it that waits for review is created in the operator system for ops to review
     * there.
     */
    operatorProductCode: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/,
        'letters, digits, dots, dashes or underscores, such as HOME-INTERNET-1G',
      )
      .nullable()
      .default(null),
  })
  .superRefine((rules, ctx) => {
    if (rules.onePerAccount && !rules.serviceKind) {
      ctx.addIssue({ code: 'custom', path: ['serviceKind'], message: 'name the kind of service to allow one of' });
    }
  });
export type ServiceRules = z.output<typeof serviceRulesSchema>;

/** The rules of a product as stored (json), read with their defaults; anything unreadable imposes nothing. */
export function readServiceRules(stored: unknown): ServiceRules {
  const parsed = serviceRulesSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : serviceRulesSchema.parse({});
}
