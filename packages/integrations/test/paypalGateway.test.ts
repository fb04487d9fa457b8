import { randomUUID } from 'node:crypto';
import { type CheckoutSessionInput, TransientError, WebhookVerificationError } from '@handover/core';
import { paypalEmulator } from '@handover/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PayPalGateway } from '../src/paypal/paypalGateway';
import { eventType, type ReceivedWebhook, startPaymentSandbox } from './support/paymentSandbox';

const clientId = `client-${randomUUID()}`;
const clientSecret = randomUUID();
const webhookId = 'WH1SANDBOX2TEST3';

function checkout(overrides: Partial<CheckoutSessionInput> = {}): CheckoutSessionInput {
  return {
    pendingOrderId: randomUUID(),
    customerEmail: 'buyer@example.com',
    currency: 'USD',
    lineItems: [{ name: 'Licence key', quantity: 1, unitAmountMinor: 1999 }],
    amountMinor: 1999,
    successUrl: 'http://portal.test/orders/done',
    cancelUrl: 'http://portal.test/checkout',
    idempotencyKey: randomUUID(),
    ...overrides,
  };
}

describe('PayPal gateway against the PayPal emulator', () => {
  let sandbox: Awaited<ReturnType<typeof startPaymentSandbox>>;
  let gateway: PayPalGateway;

  beforeAll(async () => {
    sandbox = await startPaymentSandbox([paypalEmulator({ clientId, clientSecret, webhookId, retryDelaysMs: [50] })]);
    gateway = new PayPalGateway({
      clientId,
      clientSecret,
      webhookId,
      apiUrl: `${sandbox.url}/paypal`,
      timeoutMs: 2_000,
    });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const verifyAndNormalize = async (webhook: ReceivedWebhook) =>
    gateway.normalizeWebhookPayload(await gateway.verifyWebhook(webhook.body, webhook.headers));

  /** Creates an order and approves it on the emulator's page; returns the approval event. */
  async function approvedOrder(input: CheckoutSessionInput) {
    const session = await gateway.createCheckoutSession(input);
    const approved = await sandbox.clickButton(session.redirectUrl, 'Approve');
    expect(approved.status).toBe(303);
    const location = new URL(approved.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(input.successUrl);
    expect(location.searchParams.get('token')).toBe(session.sessionId);
    const event = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('CHECKOUT.ORDER.APPROVED')));
    return { session, event };
  }

  it('runs an order: approval webhook, capture, capture webhook in minor units, refund webhook', async () => {
    const input = checkout();
    const { session, event } = await approvedOrder(input);
    expect(event).toMatchObject({
      gateway: 'paypal',
      type: 'payment.requires_capture',
      pendingOrderId: input.pendingOrderId,
      paymentId: session.sessionId,
    });

    const captured = await gateway.capture(session.sessionId, `${input.pendingOrderId}:capture`);
    expect(captured.status).toBe('completed');
    const completed = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('PAYMENT.CAPTURE.COMPLETED')));
    expect(completed).toMatchObject({
      type: 'payment.succeeded',
      pendingOrderId: input.pendingOrderId,
      paymentId: captured.paymentId,
      amountMinor: 1999,
      currency: 'USD',
    });

    const refund = await gateway.refund({
      paymentId: captured.paymentId,
      amountMinor: 999,
      currency: 'USD',
      reason: 'partial refund',
      idempotencyKey: randomUUID(),
    });
    expect(refund.status).toBe('succeeded');
    const refunded = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('PAYMENT.CAPTURE.REFUNDED')));
    expect(refunded).toMatchObject({
      type: 'refund.succeeded',
      paymentId: captured.paymentId,
      refundId: refund.refundId,
      amountMinor: 999,
    });
  });

  it('captures once: a repeated capture, same request id or not, returns the first capture', async () => {
    const { session } = await approvedOrder(checkout());
    const first = await gateway.capture(session.sessionId, 'capture-key');
    expect(await gateway.capture(session.sessionId, 'capture-key')).toEqual(first);
    expect(await gateway.capture(session.sessionId, 'another-key')).toEqual(first);
    const completions = sandbox.receiver.received.filter(eventType('PAYMENT.CAPTURE.COMPLETED'));
    expect(completions).toHaveLength(1);
  });

  it('writes zero-decimal currencies without decimals and reads them back', async () => {
    const input = checkout({
      currency: 'JPY',
      lineItems: [{ name: 'Licence', quantity: 1, unitAmountMinor: 1500 }],
      amountMinor: 1500,
    });
    const { session } = await approvedOrder(input);
    await gateway.capture(session.sessionId, randomUUID());
    const completed = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('PAYMENT.CAPTURE.COMPLETED')));
    expect(completed).toMatchObject({ amountMinor: 1500, currency: 'JPY' });
    expect(JSON.parse(sandbox.receiver.received.at(-1)?.body.toString() ?? '{}').resource.amount.value).toBe('1500');
  });

  it('returns the same order for the same PayPal-Request-Id', async () => {
    const input = checkout();
    const first = await gateway.createCheckoutSession(input);
    expect((await gateway.createCheckoutSession(input)).sessionId).toBe(first.sessionId);
    expect((await gateway.createCheckoutSession({ ...input, idempotencyKey: randomUUID() })).sessionId).not.toBe(
      first.sessionId,
    );
  });

  it('sends the customer back to the cancel URL without a webhook when they cancel', async () => {
    const input = checkout();
    const session = await gateway.createCheckoutSession(input);
    const cancelled = await sandbox.clickButton(session.redirectUrl, 'Cancel');
    expect(cancelled.headers.get('location')).toBe(`${input.cancelUrl}?token=${session.sessionId}`);
    await expect(gateway.capture(session.sessionId, randomUUID())).rejects.toMatchObject({
      name: 'PermanentError',
      options: { httpStatus: 422 },
    });
    expect(sandbox.receiver.received).toHaveLength(0);
  });

  it('tests the connection by asking for an access token, and refuses a wrong secret', async () => {
    expect((await gateway.testConnection()).ok).toBe(true);
    const stranger = new PayPalGateway({ clientId, clientSecret: 'wrong', webhookId, apiUrl: `${sandbox.url}/paypal` });
    await expect(stranger.testConnection()).rejects.toMatchObject({ name: 'PermanentError' });
  });

  it('fetches a new access token once when PayPal revokes the old one', async () => {
    const fresh = new PayPalGateway({ clientId, clientSecret, webhookId, apiUrl: `${sandbox.url}/paypal` });
    await fresh.createCheckoutSession(checkout());
    expect((await sandbox.control('/paypal/_sandbox/tokens/expire')).status).toBe(204);
    await fresh.createCheckoutSession(checkout());
    const calls = (await sandbox.control('/_control/calls?emulator=paypal', 'GET')).body as {
      paypal: { endpoints: Record<string, number> };
    };
    expect(calls.paypal.endpoints['POST /paypal/v1/oauth2/token']).toBe(2);
    expect(calls.paypal.endpoints['POST /paypal/v2/checkout/orders']).toBe(3);
  });

  it('refuses webhooks whose body or headers were tampered with, after PayPal answers FAILURE', async () => {
    const { session } = await approvedOrder(checkout());
    const webhook = sandbox.receiver.received[0] as ReceivedWebhook;
    await expect(gateway.verifyWebhook(webhook.body, webhook.headers)).resolves.toMatchObject({
      id: expect.any(String),
    });

    const tamperedBody = Buffer.from(webhook.body.toString().replace(session.sessionId, 'ANOTHERORDER12345'));
    await expect(gateway.verifyWebhook(tamperedBody, webhook.headers)).rejects.toBeInstanceOf(WebhookVerificationError);
    for (const header of ['paypal-transmission-id', 'paypal-transmission-time', 'paypal-transmission-sig']) {
      const changed = { ...webhook.headers, [header]: `X${String(webhook.headers[header])}` };
      await expect(gateway.verifyWebhook(webhook.body, changed)).rejects.toBeInstanceOf(WebhookVerificationError);
    }
    const { 'paypal-transmission-sig': _sig, ...unsigned } = webhook.headers;
    await expect(gateway.verifyWebhook(webhook.body, unsigned)).rejects.toThrow(/missing PAYPAL-TRANSMISSION-SIG/);

    const otherWebhook = new PayPalGateway({
      clientId,
      clientSecret,
      webhookId: 'SOMEONEELSE',
      apiUrl: `${sandbox.url}/paypal`,
    });
    await expect(otherWebhook.verifyWebhook(webhook.body, webhook.headers)).rejects.toBeInstanceOf(
      WebhookVerificationError,
    );
  });

  it('surfaces an injected 503 as a transient error, also when verifying a webhook', async () => {
    const { session } = await approvedOrder(checkout());
    const webhook = sandbox.receiver.received[0] as ReceivedWebhook;
    await sandbox.control('/_control/faults/paypal', 'PUT', { errorRate: 1, statusCode: 503, remaining: 2 });
    await expect(gateway.capture(session.sessionId, randomUUID())).rejects.toBeInstanceOf(TransientError);
    await expect(gateway.verifyWebhook(webhook.body, webhook.headers)).rejects.toBeInstanceOf(TransientError);
  });
});
