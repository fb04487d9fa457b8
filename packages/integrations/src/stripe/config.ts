import { z } from 'zod';

export const stripeGatewayConfigSchema = z.object({
  secretKey: z.string().startsWith('sk_', 'must be a Stripe secret key (sk_...)'),
  webhookSecret: z.string().startsWith('whsec_', 'must be a Stripe webhook signing secret (whsec_...)'),
  /** Where the API is; the sandbox's address in dev and tests. */
  apiUrl: z.url().default('https://api.stripe.com'),
  timeoutMs: z.number().int().positive().default(15_000),
  /** Stripe's documented default: a signature older than five minutes is a replay. */
  webhookToleranceSeconds: z.number().int().positive().default(300),
});
export type StripeGatewayConfig = z.input<typeof stripeGatewayConfigSchema>;
