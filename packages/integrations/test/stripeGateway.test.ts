import { randomUUID } from 'node:crypto';
import { type CheckoutSessionInput, PermanentError, TransientError, WebhookVerificationError } from '@handover/core';
import { stripeEmulator } from '@handover/sandbox';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StripeGateway } from '../src/stripe/stripeGateway';
import { eventType, type ReceivedWebhook, startPaymentSandbox } from './support/paymentSandbox';

const secretKey = `sk_test_${randomUUID().replaceAll('-', '')}`;
const webhookSecret = `whsec_${randomUUID().replaceAll('-', '')}`;

function checkout(overrides: Partial<CheckoutSessionInput> = {}): CheckoutSessionInput {
  return {
    pendingOrderId: randomUUID(),
    customerEmail: 'customer@example.com',
    currency: 'USD',
    lineItems: [
      { name: 'Microsoft 365 domain', quantity: 1, unitAmountMinor: 2500 },
      { name: 'Extra mailbox', quantity: 2, unitAmountMinor: 450 },
    ],
    amountMinor: 3400,
    successUrl: 'http://portal.test/orders/done?session={CHECKOUT_SESSION_ID}',
    cancelUrl: 'http://portal.test/checkout',
    idempotencyKey: randomUUID(),
    ...overrides,
  };
}

describe('Stripe gateway against the Stripe emulator', () => {
  let sandbox: Awaited<ReturnType<typeof startPaymentSandbox>>;
  let gateway: StripeGateway;

  beforeAll(async () => {
    sandbox = await startPaymentSandbox([stripeEmulator({ secretKey, webhookSecret, retryDelaysMs: [50, 100] })]);
    gateway = new StripeGateway({ secretKey, webhookSecret, apiUrl: sandbox.url, timeoutMs: 2_000 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const verifyAndNormalize = async (webhook: ReceivedWebhook) =>
    gateway.normalizeWebhookPayload(await gateway.verifyWebhook(webhook.body, webhook.headers));

  it('takes a one-time payment: session, hosted page, signed checkout.session.completed, then a refund', async () => {
    const input = checkout();
    const session = await gateway.createCheckoutSession(input);
    expect(session.sessionId).toMatch(/^cs_test_/);
    expect(session.expiresAt?.getTime()).toBeGreaterThan(Date.now());

    const paid = await sandbox.clickButton(session.redirectUrl, 'Pay');
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`http://portal.test/orders/done?session=${session.sessionId}`);

    const webhook = await sandbox.receiver.waitFor(eventType('checkout.session.completed'));
    expect(webhook.path).toBe('/webhooks/stripe');
    const event = await verifyAndNormalize(webhook);
    expect(event).toMatchObject({
      gateway: 'stripe',
      type: 'payment.succeeded',
      pendingOrderId: input.pendingOrderId,
      amountMinor: 3400,
      currency: 'USD',
    });
    if (event.type !== 'payment.succeeded') throw new Error('unreachable');
    expect(event.paymentId).toMatch(/^pi_/);

    const refund = await gateway.refund({
      paymentId: event.paymentId,
      amountMinor: 1000,
      currency: 'USD',
      reason: 'customer asked',
      idempotencyKey: randomUUID(),
    });
    expect(refund).toMatchObject({ status: 'succeeded', refundId: expect.stringMatching(/^re_/) });

    const refunded = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('refund.created')));
    expect(refunded).toMatchObject({
      type: 'refund.succeeded',
      paymentId: event.paymentId,
      refundId: refund.refundId,
      amountMinor: 1000,
    });
    const chargeRefunded = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('charge.refunded')));
    expect(chargeRefunded).toMatchObject({ type: 'ignored', gatewayType: 'charge.refunded' });
  });

  it('refuses to refund more than is left on the charge, as a permanent error', async () => {
    const session = await gateway.createCheckoutSession(checkout());
    await sandbox.clickButton(session.redirectUrl, 'Pay');
    const event = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('checkout.session.completed')));
    if (event.type !== 'payment.succeeded') throw new Error(`unexpected ${event.type}`);
    const error = await gateway
      .refund({ paymentId: event.paymentId, amountMinor: 3401, currency: 'USD', idempotencyKey: randomUUID() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).message).toMatch(/greater than unrefunded amount/);
  });

  it('returns the same session for the same idempotency key, and refuses the key with other parameters', async () => {
    const input = checkout();
    const first = await gateway.createCheckoutSession(input);
    const again = await gateway.createCheckoutSession(input);
    expect(again.sessionId).toBe(first.sessionId);
    const other = await gateway.createCheckoutSession({ ...input, idempotencyKey: randomUUID() });
    expect(other.sessionId).not.toBe(first.sessionId);

    const misuse = await gateway
      .createCheckoutSession({ ...input, customerEmail: 'someone-else@example.com' })
      .catch((e: unknown) => e);
    expect(misuse).toMatchObject({ name: 'PermanentError', code: 'conflict' });
  });

  it('reports a declined card as payment.failed and keeps the session open for another try', async () => {
    const input = checkout();
    const session = await gateway.createCheckoutSession(input);
    const failed = await sandbox.clickButton(session.redirectUrl, 'Fail');
    expect(failed.status).toBe(303);
    const event = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('payment_intent.payment_failed')));
    expect(event).toMatchObject({
      type: 'payment.failed',
      pendingOrderId: input.pendingOrderId,
      reason: 'Your card was declined.',
    });
    expect((await sandbox.clickButton(session.redirectUrl, 'Pay')).status).toBe(303);
    await sandbox.receiver.waitFor(eventType('checkout.session.completed'));
  });

  it('sends checkout.session.expired when a session expires, and cancel leaves the session open', async () => {
    const input = checkout();
    const session = await gateway.createCheckoutSession(input);
    const cancelled = await sandbox.clickButton(session.redirectUrl, 'Cancel');
    expect(cancelled.headers.get('location')).toBe(input.cancelUrl);
    expect(sandbox.receiver.received).toHaveLength(0);

    expect((await sandbox.control(`/stripe/_sandbox/sessions/${session.sessionId}/expire`)).status).toBe(204);
    const event = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('checkout.session.expired')));
    expect(event).toMatchObject({ type: 'checkout.expired', pendingOrderId: input.pendingOrderId });
  });

  it('runs a subscription: first payment through Checkout, renewals through invoice.paid, cancellation', async () => {
    const input = checkout({
      lineItems: [{ name: 'POS SaaS seat', quantity: 1, unitAmountMinor: 1900 }],
      amountMinor: 1900,
      recurring: { interval: 'month' },
    });
    const session = await gateway.createCheckoutSession(input);
    await sandbox.clickButton(session.redirectUrl, 'Pay');
    const started = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('checkout.session.completed')));
    expect(started).toMatchObject({
      type: 'payment.succeeded',
      pendingOrderId: input.pendingOrderId,
      amountMinor: 1900,
    });
    if (started.type !== 'payment.succeeded' || !started.subscriptionId) throw new Error('no subscription');
    const firstInvoice = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('invoice.paid')));
    expect(firstInvoice).toMatchObject({ type: 'ignored', gatewayType: 'invoice.paid' });

    sandbox.receiver.clear();
    expect((await sandbox.control(`/stripe/_sandbox/subscriptions/${started.subscriptionId}/renew`)).status).toBe(204);
    const renewed = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('invoice.paid')));
    expect(renewed).toMatchObject({
      type: 'subscription.renewed',
      subscriptionId: started.subscriptionId,
      amountMinor: 1900,
      currency: 'USD',
    });
    if (renewed.type !== 'subscription.renewed') throw new Error('unreachable');
    const refund = await gateway.refund({
      paymentId: renewed.paymentId,
      amountMinor: 1900,
      currency: 'USD',
      idempotencyKey: randomUUID(),
    });
    expect(refund.status).toBe('succeeded');

    await sandbox.control(`/stripe/_sandbox/subscriptions/${started.subscriptionId}/cancel`);
    const cancelled = await verifyAndNormalize(
      await sandbox.receiver.waitFor(eventType('customer.subscription.deleted')),
    );
    expect(cancelled).toMatchObject({ type: 'subscription.cancelled', subscriptionId: started.subscriptionId });
  });

  it('retries a delivery the server did not accept, and resends an event on request', async () => {
    sandbox.receiver.answerNext(500, 503);
    const session = await gateway.createCheckoutSession(checkout());
    await sandbox.clickButton(session.redirectUrl, 'Pay');
    const attempts = await sandbox.receiver.waitForCount(eventType('checkout.session.completed'), 3);
    const ids = attempts.map((w) => (JSON.parse(w.body.toString('utf8')) as { id: string }).id);
    expect(new Set(ids).size).toBe(1);

    expect((await sandbox.control(`/stripe/_sandbox/events/${ids[0]}/resend`)).status).toBe(204);
    const all = await sandbox.receiver.waitForCount(eventType('checkout.session.completed'), 4);
    const resent = all[3] as ReceivedWebhook;
    expect(resent.body.equals(attempts[0]?.body as Buffer)).toBe(true);
    await expect(verifyAndNormalize(resent)).resolves.toMatchObject({ eventId: ids[0] });
  });

  it('surfaces an injected 503 as a transient error, and bad credentials as a permanent one', async () => {
    await sandbox.control('/_control/faults/stripe', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    const error = await gateway.createCheckoutSession(checkout()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ code: 'provider_unavailable', options: { httpStatus: 503 } });

    const stranger = new StripeGateway({ secretKey: 'sk_test_wrong', webhookSecret, apiUrl: sandbox.url });
    const refused = await stranger.createCheckoutSession(checkout()).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'PermanentError', code: 'unauthorized' });
  });

  it('tests the connection by reading the balance, and refuses a wrong key', async () => {
    expect(await gateway.testConnection()).toEqual({
      ok: true,
      message: `Stripe at ${sandbox.url} accepted our secret key (read the balance).`,
    });
    const stranger = new StripeGateway({ secretKey: 'sk_test_wrong', webhookSecret, apiUrl: sandbox.url });
    await expect(stranger.testConnection()).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('Stripe webhook signatures', () => {
  const gateway = new StripeGateway({ secretKey, webhookSecret, apiUrl: 'http://127.0.0.1:9' });
  const payload = JSON.stringify({
    id: 'evt_test_1',
    object: 'event',
    type: 'checkout.session.expired',
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: 'cs_test_1' } },
  });
  const header = (opts: { secret?: string; timestamp?: number; body?: string } = {}) =>
    new Stripe(secretKey).webhooks.generateTestHeaderString({
      payload: opts.body ?? payload,
      secret: opts.secret ?? webhookSecret,
      ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
    });

  it('accepts a header made by the stripe SDK test helper', async () => {
    const verified = await gateway.verifyWebhook(Buffer.from(payload), { 'stripe-signature': header() });
    expect(verified).toMatchObject({ id: 'evt_test_1', type: 'checkout.session.expired' });
  });

  it('refuses a tampered body, another secret, a missing header and a timestamp older than 300 s', async () => {
    const refuse = (body: string, headers: Record<string, string>) =>
      expect(gateway.verifyWebhook(Buffer.from(body), headers)).rejects.toBeInstanceOf(WebhookVerificationError);
    await refuse(payload.replace('cs_test_1', 'cs_test_2'), { 'stripe-signature': header() });
    await refuse(payload, { 'stripe-signature': header({ secret: 'whsec_other' }) });
    await refuse(payload, {});
    await refuse(payload, { 'stripe-signature': header({ timestamp: Math.floor(Date.now() / 1000) - 301 }) });
  });

  it('judges the age against the injected clock', async () => {
    const timestamp = Math.floor(Date.now() / 1000) - 3_600;
    const past = new StripeGateway(
      { secretKey, webhookSecret, apiUrl: 'http://127.0.0.1:9' },
      { clock: { now: () => new Date((timestamp + 299) * 1000) } },
    );
    await expect(
      past.verifyWebhook(Buffer.from(payload), { 'stripe-signature': header({ timestamp }) }),
    ).resolves.toBeTruthy();
    await expect(
      gateway.verifyWebhook(Buffer.from(payload), { 'stripe-signature': header({ timestamp }) }),
    ).rejects.toThrow(/timestamp outside the tolerance zone/i);
  });
});
