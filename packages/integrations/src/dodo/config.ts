import { z } from 'zod';

export const dodoGatewayConfigSchema = z.object({
  apiKey: z.string().min(1),
  /** Standard Webhooks secret, `whsec_<base64>`, from the webhook's page in Dodo's dashboard. */
  webhookSecret: z.string().startsWith('whsec_', 'must be a Standard Webhooks secret (whsec_...)'),
  /** https://live.dodopayments.com, https://test.dodopayments.com, or the emulator. */
  apiUrl: z.url().default('https://live.dodopayments.com'),
  timeoutMs: z.number().int().positive().default(15_000),
  /** Dodo's tax category for the products Handover creates for its checkouts. */
  taxCategory: z.enum(['digital_products', 'saas', 'e_book', 'edtech', 'live_tutoring']).default('digital_products'),
});
export type DodoGatewayConfig = z.input<typeof dodoGatewayConfigSchema>;
