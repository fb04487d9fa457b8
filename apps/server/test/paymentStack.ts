import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { AnyFulfillmentAdapter, Clock, FileStorage, PaymentGateways } from '@handover/core';
import type { Orm } from '@handover/db';
import { createPaymentGateways, paymentGatewaysEnvSchema, type SmsSender } from '@handover/integrations';
import { createSandbox, dodoEmulator, paypalEmulator, sandboxGatewayEmulator, stripeEmulator } from '@handover/sandbox';
import type { FastifyInstance } from 'fastify';
import { startServer } from './harness';

/** Per-run credentials, shared by each gateway and its emulator as in `pnpm dev`. */
export function gatewaySecrets() {
  return {
    STRIPE_SECRET_KEY: `sk_test_${randomBytes(12).toString('hex')}`,
    STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(12).toString('hex')}`,
    PAYPAL_CLIENT_ID: `client-${randomUUID()}`,
    PAYPAL_CLIENT_SECRET: randomUUID(),
    PAYPAL_WEBHOOK_ID: `WH${randomBytes(6).toString('hex').toUpperCase()}`,
    DODO_API_KEY: randomUUID(),
    DODO_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
    SANDBOX_GATEWAY_SECRET: randomBytes(16).toString('hex'),
  };
}

/** Makes the sandbox's payment emulators send their webhooks to the server at `serverUrl`. */
export async function pointWebhooksAt(sandboxUrl: string, serverUrl: string): Promise<void> {
  const res = await fetch(`${sandboxUrl}/_control/webhooks`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ baseUrl: serverUrl }),
  });
  if (!res.ok) throw new Error(`sandbox webhooks: ${res.status} ${await res.text()}`);
}

/** Every gateway's variables, pointed at the emulators of the sandbox at `sandboxUrl`. */
export function gatewayEnvFor(sandboxUrl: string, secrets: ReturnType<typeof gatewaySecrets>) {
  return {
    ...secrets,
    STRIPE_API_URL: sandboxUrl,
    PAYPAL_API_URL: `${sandboxUrl}/paypal`,
    DODO_API_URL: `${sandboxUrl}/dodo`,
    SANDBOX_GATEWAY_URL: `${sandboxUrl}/sandbox-gateway`,
  };
}

/**
 * The payment emulators in this process on a free port, and the server on another with real
 * gateways pointed at them; the emulators send their webhooks to the server.
 */
export async function startPaymentStack(options: {
  orm: Orm;
  databaseUrl: string;
  clock: Clock;
  drivers?: AnyFulfillmentAdapter[];
  env?: Record<string, string>;
  downloadStorage?: FileStorage;
  sms?: SmsSender;
}) {
  const secrets = gatewaySecrets();
  const retryDelaysMs = [200, 500];
  const sandbox = await createSandbox({
    emulators: [
      stripeEmulator({
        secretKey: secrets.STRIPE_SECRET_KEY,
        webhookSecret: secrets.STRIPE_WEBHOOK_SECRET,
        retryDelaysMs,
      }),
      paypalEmulator({
        clientId: secrets.PAYPAL_CLIENT_ID,
        clientSecret: secrets.PAYPAL_CLIENT_SECRET,
        webhookId: secrets.PAYPAL_WEBHOOK_ID,
        retryDelaysMs,
      }),
      dodoEmulator({ apiKey: secrets.DODO_API_KEY, webhookSecret: secrets.DODO_WEBHOOK_SECRET, retryDelaysMs }),
      sandboxGatewayEmulator({ secret: secrets.SANDBOX_GATEWAY_SECRET, retryDelaysMs }),
    ],
    publicUrl: 'http://sandbox.invalid',
    hangMs: 200,
  });
  await sandbox.listen({ host: '127.0.0.1', port: 0 });
  const sandboxUrl = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
  const gatewayEnv = { ...gatewayEnvFor(sandboxUrl, secrets), PAYMENT_GATEWAY_TIMEOUT_MS: '3000' };
  const gateways: PaymentGateways = createPaymentGateways(paymentGatewaysEnvSchema.parse(gatewayEnv), {
    clock: options.clock,
  });
  const server = await startServer({ ...options, gateways, env: { ...gatewayEnv, ...options.env } });
  const control = async (path: string, method = 'POST', body?: unknown) => {
    const res = await fetch(`${sandboxUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  await pointWebhooksAt(sandboxUrl, server.base);

  return {
    server,
    app: server.app as FastifyInstance,
    base: server.base,
    sandboxUrl,
    gateways,
    gatewayEnv,
    secrets,
    control,
    /** Presses a button on a gateway's hosted page as a browser would (a form POST, redirect not followed). */
    clickButton: (pageUrl: string, label: string) => clickGatewayButton(sandboxUrl, pageUrl, label),
    async close(): Promise<void> {
      await server.app.close();
      await sandbox.close();
    },
  };
}

/**
 * Presses a button on a gateway's hosted page in the sandbox at `sandboxUrl`, as a browser would
 * (a form POST, redirect not followed); the page's own host may be a public name the test cannot reach.
 */
export async function clickGatewayButton(sandboxUrl: string, pageUrl: string, label: string): Promise<Response> {
  const page = new URL(pageUrl);
  const html = await (await fetch(new URL(`${page.pathname}${page.search}`, sandboxUrl))).text();
  const form = [...html.matchAll(/<form method="post" action="([^"]+)"><button[^>]*>([^<]+)<\/button>/g)].find((m) =>
    m[2]?.startsWith(label),
  );
  if (!form?.[1]) throw new Error(`no "${label}" button on ${pageUrl}`);
  return fetch(new URL(form[1].replace(/&amp;/g, '&'), sandboxUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
    redirect: 'manual',
  });
}

export type PaymentStack = Awaited<ReturnType<typeof startPaymentStack>>;

export async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  { timeoutMs = 15_000, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} not reached within ${timeoutMs} ms`);
}
