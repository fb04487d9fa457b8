import { z } from 'zod';

// Stripe's API takes form-encoded parameters, so every value arrives as a string.
const integer = z.coerce.number().int();
const metadata = z.record(z.string(), z.string()).default({});

export const sessionCreateParams = z.object({
  mode: z.enum(['payment', 'subscription']),
  success_url: z.url(),
  cancel_url: z.url().optional(),
  customer_email: z.email().optional(),
  client_reference_id: z.string().max(200).optional(),
  metadata,
  line_items: z
    .array(
      z.object({
        quantity: integer.min(1),
        price_data: z.object({
          currency: z.string().length(3),
          unit_amount: integer.min(0),
          product_data: z.object({ name: z.string().min(1) }),
          recurring: z.object({ interval: z.enum(['day', 'week', 'month', 'year']) }).optional(),
        }),
      }),
    )
    .min(1),
  payment_intent_data: z.object({ metadata }).optional(),
  subscription_data: z.object({ metadata, trial_period_days: integer.min(1).optional() }).optional(),
  expires_at: integer.optional(),
});
export type SessionCreateParams = z.output<typeof sessionCreateParams>;

export const refundCreateParams = z
  .object({
    payment_intent: z.string().startsWith('pi_').optional(),
    charge: z.string().startsWith('ch_').optional(),
    amount: integer.min(1).optional(),
    reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
    metadata,
  })
  .refine((p) => p.payment_intent || p.charge, { message: 'Must provide either payment_intent or charge' });

export const invoicePaymentListParams = z.object({
  invoice: z.string().startsWith('in_').optional(),
  limit: integer.min(1).max(100).default(10),
});
