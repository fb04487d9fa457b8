import { z } from 'zod';

export const paypalGatewayConfigSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** PayPal's REST API: https://api-m.paypal.com live, https://api-m.sandbox.paypal.com sandbox, or the emulator. */
  apiUrl: z.url().default('https://api-m.paypal.com'),
  /** The id PayPal gave the webhook that points at us; verify-webhook-signature needs it. */
  webhookId: z.string().min(1),
  timeoutMs: z.number().int().positive().default(15_000),
  /** Shown on PayPal's pages as the merchant's name. */
  brandName: z.string().max(127).default('Handover'),
});
export type PayPalGatewayConfig = z.input<typeof paypalGatewayConfigSchema>;
