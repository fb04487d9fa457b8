import { randomBytes, randomUUID } from 'node:crypto';
import { type CheckoutSessionInput, TransientError, WebhookVerificationError } from '@handover/core';
import { dodoEmulator } from '@handover/sandbox';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DodoGateway } from '../src/dodo/dodoGateway';
import { eventType, type ReceivedWebhook, startPaymentSandbox } from './support/paymentSandbox';

const apiKey = randomUUID();
const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;

function checkout(overrides: Partial<CheckoutSessionInput> = {}): CheckoutSessionInput {
  return {
    pendingOrderId: randomUUID(),
    customerEmail: 'buyer@example.com',
    currency: 'USD',
    lineItems: [{ name: 'Self-hosted licence', quantity: 2, unitAmountMinor: 2500 }],
    amountMinor: 5000,
    successUrl: 'http://portal.test/orders/done',
    cancelUrl: 'http://portal.test/checkout',
    idempotencyKey: randomUUID(),
    ...overrides,
  };
}

describe('Dodo gateway against the Dodo Payments emulator', () => {
  let sandbox: Awaited<ReturnType<typeof startPaymentSandbox>>;
  let gateway: DodoGateway;

  beforeAll(async () => {
    sandbox = await startPaymentSandbox([dodoEmulator({ apiKey, webhookSecret, retryDelaysMs: [50] })]);
    gateway = new DodoGateway({ apiKey, webhookSecret, apiUrl: `${sandbox.url}/dodo`, timeoutMs: 2_000 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const verifyAndNormalize = async (webhook: ReceivedWebhook) =>
    gateway.normalizeWebhookPayload(await gateway.verifyWebhook(webhook.body, webhook.headers));

  it('takes a one-time payment through the hosted page and refunds part of it', async () => {
    const input = checkout();
    const session = await new DodoGateway({
      apiKey,
      webhookSecret,
      apiUrl: `${sandbox.url}/dodo`,
    }).createCheckoutSession(input);
    expect(session.sessionId).toMatch(/^cks_/);
    const paid = await sandbox.clickButton(session.redirectUrl, 'Pay');
    const back = new URL(paid.headers.get('location') ?? '');
    expect(back.searchParams.get('status')).toBe('succeeded');

    const webhook = await sandbox.receiver.waitFor(eventType('payment.succeeded'));
    expect(webhook.path).toBe('/webhooks/dodo');
    const event = await verifyAndNormalize(webhook);
    expect(event).toMatchObject({
      gateway: 'dodo',
      eventId: webhook.headers['webhook-id'],
      type: 'payment.succeeded',
      pendingOrderId: input.pendingOrderId,
      paymentId: back.searchParams.get('payment_id'),
      amountMinor: 5000,
      currency: 'USD',
    });
    if (event.type !== 'payment.succeeded') throw new Error('unreachable');

    const refund = await gateway.refund({
      paymentId: event.paymentId,
      amountMinor: 1200,
      currency: 'USD',
      idempotencyKey: randomUUID(),
    });
    expect(refund).toMatchObject({ status: 'succeeded', refundId: expect.stringMatching(/^ref_/) });
    const refunded = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('refund.succeeded')));
    expect(refunded).toMatchObject({
      type: 'refund.succeeded',
      paymentId: event.paymentId,
      refundId: refund.refundId,
      amountMinor: 1200,
    });
    await expect(
      gateway.refund({ paymentId: event.paymentId, amountMinor: 3801, currency: 'USD', idempotencyKey: randomUUID() }),
    ).rejects.toMatchObject({ name: 'PermanentError', options: { httpStatus: 422 } });
  });

  it('makes a remembered product again when Dodo no longer knows it', async () => {
    const warm = new DodoGateway({ apiKey, webhookSecret, apiUrl: `${sandbox.url}/dodo` });
    await warm.createCheckoutSession(checkout());
    await sandbox.reset();
    const session = await warm.createCheckoutSession(checkout());
    expect(session.sessionId).toMatch(/^cks_/);
  });

  it('creates one Dodo product per distinct price and reuses it', async () => {
    const fresh = new DodoGateway({ apiKey, webhookSecret, apiUrl: `${sandbox.url}/dodo` });
    await fresh.createCheckoutSession(checkout());
    await fresh.createCheckoutSession(checkout());
    await fresh.createCheckoutSession(
      checkout({ lineItems: [{ name: 'Other', quantity: 1, unitAmountMinor: 100 }], amountMinor: 100 }),
    );
    const calls = (await sandbox.control('/_control/calls?emulator=dodo', 'GET')).body as {
      dodo: { endpoints: Record<string, number> };
    };
    expect(calls.dodo.endpoints['POST /dodo/products']).toBe(2);
    expect(calls.dodo.endpoints['POST /dodo/checkouts']).toBe(3);
  });

  it('reports a declined payment as payment.failed', async () => {
    const input = checkout();
    const session = await gateway.createCheckoutSession(input);
    await sandbox.clickButton(session.redirectUrl, 'Fail');
    const event = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('payment.failed')));
    expect(event).toMatchObject({
      type: 'payment.failed',
      pendingOrderId: input.pendingOrderId,
      reason: 'The card was declined.',
    });
  });

  it('runs a subscription: the first payment, a renewal payment, and the cancellation', async () => {
    const input = checkout({
      lineItems: [{ name: 'SaaS plan', quantity: 1, unitAmountMinor: 1500 }],
      amountMinor: 1500,
      recurring: { interval: 'month' },
    });
    const session = await gateway.createCheckoutSession(input);
    await sandbox.clickButton(session.redirectUrl, 'Pay');
    const first = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('payment.succeeded')));
    expect(first).toMatchObject({
      type: 'payment.succeeded',
      pendingOrderId: input.pendingOrderId,
      subscriptionId: expect.stringMatching(/^sub_/),
    });
    if (first.type !== 'payment.succeeded' || !first.subscriptionId) throw new Error('no subscription');
    const active = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('subscription.active')));
    expect(active).toMatchObject({ type: 'ignored', gatewayType: 'subscription.active' });

    sandbox.receiver.clear();
    expect((await sandbox.control(`/dodo/_sandbox/subscriptions/${first.subscriptionId}/renew`)).status).toBe(200);
    const renewal = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('payment.succeeded')));
    expect(renewal).toMatchObject({
      type: 'subscription.renewed',
      subscriptionId: first.subscriptionId,
      amountMinor: 1500,
    });
    expect(renewal.type === 'subscription.renewed' && renewal.paymentId).not.toBe(first.paymentId);

    await sandbox.control(`/dodo/_sandbox/subscriptions/${first.subscriptionId}/cancel`);
    const cancelled = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('subscription.cancelled')));
    expect(cancelled).toMatchObject({ type: 'subscription.cancelled', subscriptionId: first.subscriptionId });
  });

  it('resends an event with the same webhook-id, so the inbox sees a duplicate', async () => {
    const session = await gateway.createCheckoutSession(checkout());
    await sandbox.clickButton(session.redirectUrl, 'Pay');
    const original = await sandbox.receiver.waitFor(eventType('payment.succeeded'));
    const id = String(original.headers['webhook-id']);
    expect((await sandbox.control(`/dodo/_sandbox/events/${id}/resend`)).status).toBe(204);
    const both = await sandbox.receiver.waitForCount(eventType('payment.succeeded'), 2);
    const [a, b] = await Promise.all(both.map(verifyAndNormalize));
    expect(a?.eventId).toBe(id);
    expect(b?.eventId).toBe(id);
  });

  it('surfaces an injected 503 as a transient error and a wrong key as a permanent one', async () => {
    await sandbox.control('/_control/faults/dodo', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    await expect(gateway.createCheckoutSession(checkout())).rejects.toBeInstanceOf(TransientError);
    const stranger = new DodoGateway({ apiKey: 'wrong', webhookSecret, apiUrl: `${sandbox.url}/dodo` });
    await expect(stranger.createCheckoutSession(checkout())).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'unauthorized',
    });
  });

  it('tests the connection by listing products, and refuses a wrong key', async () => {
    expect(await gateway.testConnection()).toMatchObject({
      ok: true,
      message: expect.stringContaining('accepted our API key'),
    });
    const stranger = new DodoGateway({ apiKey: 'wrong', webhookSecret, apiUrl: `${sandbox.url}/dodo` });
    await expect(stranger.testConnection()).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('Dodo webhook signatures (Standard Webhooks)', () => {
  const gateway = new DodoGateway({ apiKey, webhookSecret, apiUrl: 'http://127.0.0.1:9' });
  const body = JSON.stringify({
    business_id: 'bus_1',
    type: 'subscription.cancelled',
    timestamp: new Date().toISOString(),
    data: { subscription_id: 'sub_1', payload_type: 'Subscription' },
  });
  const sign = (at: Date, secret = webhookSecret, payload = body) => ({
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign('msg_1', at, payload),
  });

  it('accepts a signature made by the standardwebhooks library and names the event by webhook-id', async () => {
    const verified = await gateway.verifyWebhook(Buffer.from(body), sign(new Date()));
    expect(gateway.normalizeWebhookPayload(verified)).toMatchObject({
      eventId: 'msg_1',
      type: 'subscription.cancelled',
      subscriptionId: 'sub_1',
    });
  });

  it('refuses a tampered body, another secret, a changed id, missing headers and an expired timestamp', async () => {
    const refuse = (payload: string, headers: Record<string, string>) =>
      expect(gateway.verifyWebhook(Buffer.from(payload), headers)).rejects.toBeInstanceOf(WebhookVerificationError);
    await refuse(body.replace('sub_1', 'sub_2'), sign(new Date()));
    await refuse(body, sign(new Date(), `whsec_${randomBytes(24).toString('base64')}`));
    await refuse(body, { ...sign(new Date()), 'webhook-id': 'msg_2' });
    const { 'webhook-signature': _s, ...unsigned } = sign(new Date());
    await refuse(body, unsigned);
    await refuse(body, sign(new Date(Date.now() - 6 * 60_000)));
  });
});
