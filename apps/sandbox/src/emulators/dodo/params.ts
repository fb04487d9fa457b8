import { z } from 'zod';

const interval = z.enum(['Day', 'Week', 'Month', 'Year']);
const metadata = z.record(z.string(), z.string()).default({});

export const productCreateBody = z.object({
  name: z.string().min(1),
  description: z.string().nullish(),
  tax_category: z.enum(['digital_products', 'saas', 'e_book', 'edtech', 'live_tutoring']),
  metadata,
  price: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('one_time_price'),
      price: z.number().int().min(0),
      currency: z.string().length(3),
      discount: z.number().default(0),
      purchasing_power_parity: z.boolean().default(false),
    }),
    z.object({
      type: z.literal('recurring_price'),
      price: z.number().int().min(0),
      currency: z.string().length(3),
      discount: z.number().default(0),
      purchasing_power_parity: z.boolean().default(false),
      payment_frequency_count: z.number().int().min(1),
      payment_frequency_interval: interval,
      subscription_period_count: z.number().int().min(1),
      subscription_period_interval: interval,
      trial_period_days: z.number().int().min(0).optional(),
    }),
  ]),
});
export type ProductCreateBody = z.output<typeof productCreateBody>;

export const checkoutCreateBody = z.object({
  product_cart: z
    .array(z.object({ product_id: z.string(), quantity: z.number().int().min(1) }))
    .min(1)
    .max(20),
  customer: z.object({ email: z.email(), name: z.string().nullish() }).nullish(),
  return_url: z.url().nullish(),
  cancel_url: z.url().nullish(),
  metadata,
  subscription_data: z.object({ trial_period_days: z.number().int().min(0).nullish() }).nullish(),
});

export const refundCreateBody = z.object({
  payment_id: z.string(),
  items: z.array(z.object({ item_id: z.string(), amount: z.number().int().min(1).nullish() })).nullish(),
  reason: z.string().nullish(),
  metadata,
});

export const subscriptionPatchBody = z.object({
  status: z.enum(['active', 'on_hold', 'cancelled', 'expired']).optional(),
});
