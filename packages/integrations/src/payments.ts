import type { Clock, PaymentGateway } from '@handover/core';
import { z } from 'zod';
import { DodoGateway } from './dodo/dodoGateway';
import { PayPalGateway } from './paypal/paypalGateway';
import { SandboxGateway } from './sandbox/sandboxGateway';
import { StripeGateway } from './stripe/stripeGateway';

const optional = z.string().min(1).optional();

type PaymentGatewayName = PaymentGateway['name'];

/**
 * The environment of every payment gateway, for the server's and worker's config schemas to
 * include. A gateway is configured when its variables are set; setting only some of them is an
 * error that names what is missing.
 */
export const paymentGatewaysEnvSchema = z
  .object({
    STRIPE_SECRET_KEY: z.string().startsWith('sk_', 'must be a Stripe secret key (sk_...)').optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_', 'must be a Stripe signing secret (whsec_...)').optional(),
    STRIPE_API_URL: z.url().optional(),
    PAYPAL_CLIENT_ID: optional,
    PAYPAL_CLIENT_SECRET: optional,
    PAYPAL_WEBHOOK_ID: optional,
    PAYPAL_API_URL: z.url().optional(),
    DODO_API_KEY: optional,
    DODO_WEBHOOK_SECRET: z.string().startsWith('whsec_', 'must be a Standard Webhooks secret (whsec_...)').optional(),
    DODO_API_URL: z.url().optional(),
    SANDBOX_GATEWAY_URL: z.url().optional(),
    SANDBOX_GATEWAY_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    PAYMENT_GATEWAY_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  })
  .superRefine((env, ctx) => {
    const groups: Record<string, (keyof typeof env)[]> = {
      stripe: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'],
      paypal: ['PAYPAL_CLIENT_ID', 'PAYPAL_CLIENT_SECRET', 'PAYPAL_WEBHOOK_ID'],
      dodo: ['DODO_API_KEY', 'DODO_WEBHOOK_SECRET'],
      sandbox: ['SANDBOX_GATEWAY_URL', 'SANDBOX_GATEWAY_SECRET'],
    };
    for (const [gateway, names] of Object.entries(groups)) {
      const set = names.filter((name) => env[name] !== undefined);
      if (set.length === 0 || set.length === names.length) continue;
      for (const name of names.filter((n) => env[n] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `is required when ${set.join(', ')} is set (${gateway})`,
        });
      }
    }
  });
export type PaymentGatewaysEnv = z.output<typeof paymentGatewaysEnvSchema>;

/** The configured gateways by name; a gateway whose variables are unset is left out. */
export function createPaymentGateways(
  env: PaymentGatewaysEnv,
  deps: { clock?: Clock } = {},
): Partial<Record<PaymentGatewayName, PaymentGateway>> {
  const timeoutMs = env.PAYMENT_GATEWAY_TIMEOUT_MS;
  const gateways: Partial<Record<PaymentGatewayName, PaymentGateway>> = {};
  if (env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET) {
    gateways.stripe = new StripeGateway(
      {
        secretKey: env.STRIPE_SECRET_KEY,
        webhookSecret: env.STRIPE_WEBHOOK_SECRET,
        timeoutMs,
        ...(env.STRIPE_API_URL ? { apiUrl: env.STRIPE_API_URL } : {}),
      },
      deps,
    );
  }
  if (env.PAYPAL_CLIENT_ID && env.PAYPAL_CLIENT_SECRET && env.PAYPAL_WEBHOOK_ID) {
    gateways.paypal = new PayPalGateway(
      {
        clientId: env.PAYPAL_CLIENT_ID,
        clientSecret: env.PAYPAL_CLIENT_SECRET,
        webhookId: env.PAYPAL_WEBHOOK_ID,
        timeoutMs,
        ...(env.PAYPAL_API_URL ? { apiUrl: env.PAYPAL_API_URL } : {}),
      },
      deps,
    );
  }
  if (env.DODO_API_KEY && env.DODO_WEBHOOK_SECRET) {
    gateways.dodo = new DodoGateway({
      apiKey: env.DODO_API_KEY,
      webhookSecret: env.DODO_WEBHOOK_SECRET,
      timeoutMs,
      ...(env.DODO_API_URL ? { apiUrl: env.DODO_API_URL } : {}),
    });
  }
  if (env.SANDBOX_GATEWAY_URL && env.SANDBOX_GATEWAY_SECRET) {
    gateways.sandbox = new SandboxGateway(
      { apiUrl: env.SANDBOX_GATEWAY_URL, secret: env.SANDBOX_GATEWAY_SECRET, timeoutMs },
      deps,
    );
  }
  return gateways;
}
