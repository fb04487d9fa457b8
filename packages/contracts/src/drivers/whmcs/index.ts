import { z } from 'zod';
import { defineDriverContract } from '../../driverContract';

/** Seed 004's billed services: an order in the billing system (WHMCS), accepted once ops approve. */
export const WHMCS_DRIVER = 'whmcs';

/** WHMCS's billing cycles, as AddOrder takes them. */
export const WHMCS_BILLING_CYCLES = [
  'monthly',
  'quarterly',
  'semiannually',
  'annually',
  'biennially',
  'triennially',
  'onetime',
  'free',
] as const;

/** A product's configuration: the WHMCS product it orders, how it is billed, and through which gateway. */
export const whmcsProductConfigSchema = z.object({
  /** WHMCS's product id (`pid`, Setup > Products/Services). */
  productId: z.number({ error: "Enter WHMCS's product id (a number)" }).int().positive("Enter WHMCS's product id"),
  billingCycle: z.enum(WHMCS_BILLING_CYCLES, { error: 'Choose a WHMCS billing cycle' }).default('monthly'),
  /** WHMCS's payment gateway module (`stripe`): the customer's card on file is charged through it. */
  paymentMethod: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{2,64}$/, "Enter WHMCS's gateway module name, such as stripe")
    .default('stripe'),
  /** Runs the product's provisioning module once the order is accepted. */
  autoSetup: z.boolean().default(false),
});
export type WhmcsProductConfig = z.output<typeof whmcsProductConfigSchema>;

/** Nothing to fill in: the service is the product, billed to the customer's WHMCS client. */
export const whmcsInputSchema = z.object({});
export type WhmcsInput = z.output<typeof whmcsInputSchema>;

export const whmcsContract = defineDriverContract({
  driver: WHMCS_DRIVER,
  configSchema: whmcsProductConfigSchema,
  inputSchema: whmcsInputSchema,
});
