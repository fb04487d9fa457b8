import { z } from 'zod';
import { emailSchema, phoneSchema } from './accounts';
import { activationMomentSchema } from './activation';
import { addressSchema } from './customerProfile';
import { PAYMENT_GATEWAYS } from './statuses';

/** One line of the order form: a product, how many, and the driver-specific fields. */
export const checkoutLineSchema = z.object({
  productId: z.uuid('choose a product'),
  /** Each unit is delivered on its own (one licence, one tenant, ...). */
  quantity: z.number().int('a whole number').min(1).max(10).default(1),
  /** Checked against the product's driver's input schema by checkout. */
  input: z.record(z.string(), z.unknown()).default({}),
  /** Seed 004 5a: when to activate, where the product lets the customer choose the date. */
  activation: activationMomentSchema.optional(),
});

export const customerContactSchema = z.object({
  /** The order's contact, and the account a guest's order goes to (created when new). */
  email: emailSchema,
  /** Optional: for delivery messages by SMS. */
  phone: phoneSchema.nullable().default(null),
});

/**
 * The order form as checkout receives it (portal and API). Prices are never taken from here:
 * they come from the products.
 */
export const checkoutInputSchema = customerContactSchema.extend({
  items: z.array(checkoutLineSchema).min(1, 'add at least one item').max(20, 'at most 20 lines per order'),
  /** The customer's choice when several gateways are enabled; otherwise the products' default. */
  gateway: z.enum(PAYMENT_GATEWAYS).optional(),
  /**
   * Seed 004: the billing (and service) address, for a product that needs one when the customer's
   * profile has none yet: it is saved to the profile, then only checked on later orders.
   */
  billingAddress: addressSchema.optional(),
});
export type CheckoutInput = z.output<typeof checkoutInputSchema>;

/** Money into the signed-in customer's wallet (seed 002), through any configured gateway. */
export const walletTopUpInputSchema = z.object({
  amountMinor: z
    .number()
    .int('whole minor units (cents)')
    .min(100, 'at least 1.00')
    .max(10_000_000, 'at most 100,000.00 at a time'),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, 'a three-letter ISO currency code'),
  gateway: z.enum(PAYMENT_GATEWAYS).exclude(['wallet']),
});
export type WalletTopUpInput = z.output<typeof walletTopUpInputSchema>;
