import { parseEnv } from '@handover/core';
import { describe, expect, it } from 'vitest';
import { createPaymentGateways, paymentGatewaysEnvSchema } from './payments';

const parse = (env: Record<string, string>) => parseEnv('server', paymentGatewaysEnvSchema, env);

describe('payment gateway configuration', () => {
  it('configures the gateways whose variables are set, and only those', () => {
    const gateways = createPaymentGateways(
      parse({
        STRIPE_SECRET_KEY: 'sk_test_123',
        STRIPE_WEBHOOK_SECRET: 'whsec_abc',
        STRIPE_API_URL: 'http://127.0.0.1:4010',
        SANDBOX_GATEWAY_URL: 'http://127.0.0.1:4010/sandbox-gateway',
        SANDBOX_GATEWAY_SECRET: 'a-secret-of-enough-length',
      }),
    );
    expect(Object.keys(gateways).sort()).toEqual(['sandbox', 'stripe']);
    expect(gateways.stripe?.name).toBe('stripe');
  });

  it('names every variable a half-configured gateway is missing', () => {
    expect(() => parse({ PAYPAL_CLIENT_ID: 'id' })).toThrow(
      /PAYPAL_CLIENT_SECRET: is required when PAYPAL_CLIENT_ID is set \(paypal\)[\s\S]*PAYPAL_WEBHOOK_ID/,
    );
  });

  it('refuses secrets of the wrong kind', () => {
    expect(() => parse({ STRIPE_SECRET_KEY: 'pk_test_123', STRIPE_WEBHOOK_SECRET: 'whsec_abc' })).toThrow(
      /STRIPE_SECRET_KEY: must be a Stripe secret key/,
    );
    expect(() => parse({ DODO_API_KEY: 'key', DODO_WEBHOOK_SECRET: 'plain' })).toThrow(/DODO_WEBHOOK_SECRET/);
  });
});
