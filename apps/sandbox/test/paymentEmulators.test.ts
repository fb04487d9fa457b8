import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { allEmulators } from '../src/emulators';
import { ZoneStore } from '../src/emulators/dns/zones';
import { createSandbox } from '../src/sandbox';

describe('payment emulators in the sandbox', () => {
  it('serves every payment emulator with the secrets from the environment', async () => {
    const emulators = allEmulators(
      {
        STRIPE_SECRET_KEY: 'sk_test_from_env',
        STRIPE_WEBHOOK_SECRET: 'whsec_from_env',
        PAYPAL_CLIENT_ID: 'client',
        PAYPAL_CLIENT_SECRET: 'secret',
        SANDBOX_GATEWAY_SECRET: 'a-secret-of-enough-length',
      },
      { zones: new ZoneStore() },
    );
    expect(emulators.map((e) => e.name)).toEqual(
      expect.arrayContaining(['stripe', 'paypal', 'dodo', 'sandbox-gateway']),
    );
    const app = await createSandbox({ emulators, publicUrl: 'http://sandbox.test' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const refused = await fetch(`${base}/v1/checkout/sessions/cs_test_1`, {
        headers: { authorization: 'Bearer sk_test_other' },
      });
      expect(refused.status).toBe(401);
      const missing = await fetch(`${base}/v1/checkout/sessions/cs_test_1`, {
        headers: { authorization: 'Bearer sk_test_from_env' },
      });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({
        error: { type: 'invalid_request_error', code: 'resource_missing' },
      });

      const token = await fetch(`${base}/paypal/v1/oauth2/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from('client:secret').toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      expect(token.status).toBe(200);
      const wrong = await fetch(`${base}/paypal/v1/oauth2/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('client:nope').toString('base64')}` },
      });
      expect(wrong.status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('refuses a malformed setting, naming the emulator and the variable', () => {
    expect(() => allEmulators({ STRIPE_WEBHOOK_SECRET: 'not-a-signing-secret' }, { zones: new ZoneStore() })).toThrow(
      /stripe emulator[\s\S]*STRIPE_WEBHOOK_SECRET/,
    );
    expect(() => allEmulators({ DODO_WEBHOOK_SECRET: 'plain' }, { zones: new ZoneStore() })).toThrow(
      /dodo emulator[\s\S]*DODO_WEBHOOK_SECRET/,
    );
  });
});
