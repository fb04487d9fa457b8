import { z } from 'zod';
import { serviceRulesSchema } from './serviceRules';
import { ACTIVATION_TYPES, DELIVERY_MODELS, PAYMENT_GATEWAYS } from './statuses';

/**
 * A product as staff create and edit it (seed 003 §5.4). The driver-specific
 * fulfillment_config is checked by the driver's own schema on the server.
 */
export const productInputSchema = z
  .object({
    slug: z
      .string()
      .trim()
      .min(2)
      .max(120)
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case letters, digits and single dashes'),
    name: z.string().trim().min(2).max(200),
    description: z.string().trim().max(5000).default(''),
    deliverySummary: z.string().trim().max(500).default(''),
    priceMinor: z.number().int('whole minor units (cents)').min(0),
    currency: z
      .string()
      .trim()
      .regex(/^[A-Z]{3}$/, 'a three-letter ISO currency code'),
    deliveryModel: z.enum(DELIVERY_MODELS),
    fulfillmentDriver: z.string().trim().min(1).max(64),
    fulfillmentConfig: z.record(z.string(), z.unknown()).default({}),
    externalProvider: z.string().trim().max(200).nullable().default(null),
    externalProductRef: z.string().trim().max(200).nullable().default(null),
    enabledPaymentGateways: z.array(z.enum(PAYMENT_GATEWAYS)).min(1, 'enable at least one gateway'),
    defaultPaymentGateway: z.enum(PAYMENT_GATEWAYS),
    retryPolicy: z
      .object({
        maxAttempts: z.number().int().min(1).max(20),
        backoffSeconds: z.array(z.number().min(0).max(86_400)).max(20),
      })
      .nullable()
      .default(null),
    requiresReview: z.boolean().default(false),
    /** Seed 004 5a: activated right after approval (or payment), or on a date; ops may override per order. */
    activation: z.enum(ACTIVATION_TYPES).default('immediate'),
    /** The customer chooses the activation date at checkout (scheduled products). */
    activationDateByCustomer: z.boolean().default(false),
    /** Seed 004's business rules (one Internet per account, billing = service address, ...). */
    serviceRules: serviceRulesSchema.default(serviceRulesSchema.parse({})),
    isRecurring: z.boolean().default(false),
    billingInterval: z.enum(['month', 'year']).nullable().default(null),
    supportsTrial: z.boolean().default(false),
    trialDays: z.number().int().min(1).max(365).nullable().default(null),
    isActive: z.boolean().default(true),
  })
  .superRefine((p, ctx) => {
    if (!p.enabledPaymentGateways.includes(p.defaultPaymentGateway)) {
      ctx.addIssue({ code: 'custom', path: ['defaultPaymentGateway'], message: 'must be one of the enabled gateways' });
    }
    if (p.isRecurring && !p.billingInterval) {
      ctx.addIssue({
        code: 'custom',
        path: ['billingInterval'],
        message: 'recurring products need a billing interval',
      });
    }
    if (p.activation === 'scheduled' && !p.requiresReview && !p.activationDateByCustomer) {
      ctx.addIssue({
        code: 'custom',
        path: ['activation'],
        message: 'a scheduled product needs review (ops choose the date) or the customer choosing the date',
      });
    }
    if (p.activationDateByCustomer && p.activation !== 'scheduled') {
      ctx.addIssue({
        code: 'custom',
        path: ['activationDateByCustomer'],
        message: 'only a scheduled product has an activation date to choose',
      });
    }
    if (p.supportsTrial && !p.trialDays) {
      ctx.addIssue({ code: 'custom', path: ['trialDays'], message: 'set the trial length' });
    }
  });

export type ProductInput = z.input<typeof productInputSchema>;
