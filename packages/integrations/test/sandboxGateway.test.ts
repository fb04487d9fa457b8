import { randomBytes, randomUUID } from 'node:crypto';
import { type CheckoutSessionInput, TransientError, WebhookVerificationError } from '@handover/core';
import { sandboxGatewayEmulator } from '@handover/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SandboxGateway } from '../src/sandbox/sandboxGateway';
import { signSandboxPayload } from '../src/sandbox/signature';
import { eventType, type ReceivedWebhook, startPaymentSandbox } from './support/paymentSandbox';

const secret = randomBytes(24).toString('base64');

function checkout(overrides: Partial<CheckoutSessionInput> = {}): CheckoutSessionInput {
  return {
    pendingOrderId: randomUUID(),
    customerEmail: 'customer@handover.test',
    currency: 'USD',
    lineItems: [{ name: 'Data bundle 5 GB', quantity: 1, unitAmountMinor: 800 }],
    amountMinor: 800,
    successUrl: 'http://portal.test/orders/done',
    cancelUrl: 'http://portal.test/checkout',
    idempotencyKey: randomUUID(),
    ...overrides,
  };
}

describe('sandbox gateway against its emulator', () => {
  let sandbox: Awaited<ReturnType<typeof startPaymentSandbox>>;
  let gateway: SandboxGateway;

  beforeAll(async () => {
    sandbox = await startPaymentSandbox([sandboxGatewayEmulator({ secret, retryDelaysMs: [50] })]);
    gateway = new SandboxGateway({ apiUrl: `${sandbox.url}/sandbox-gateway`, secret, timeoutMs: 2_000 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const verifyAndNormalize = async (webhook: ReceivedWebhook) =>
    gateway.normalizeWebhookPayload(await gateway.verifyWebhook(webhook.body, webhook.headers));

  it('pays through the hosted page, then refunds, each with a signed webhook', async () => {
    const input = checkout();
    const session = await gateway.createCheckoutSession(input);
    expect((await sandbox.clickButton(session.redirectUrl, 'Pay')).headers.get('location')).toBe(input.successUrl);
    const webhook = await sandbox.receiver.waitFor(eventType('payment.succeeded'));
    expect(webhook.path).toBe('/webhooks/sandbox');
    const paid = await verifyAndNormalize(webhook);
    expect(paid).toMatchObject({
      gateway: 'sandbox',
      type: 'payment.succeeded',
      pendingOrderId: input.pendingOrderId,
      amountMinor: 800,
    });
    if (paid.type !== 'payment.succeeded') throw new Error('unreachable');

    const refund = await gateway.refund({
      paymentId: paid.paymentId,
      amountMinor: 800,
      currency: 'USD',
      idempotencyKey: randomUUID(),
    });
    expect(refund.status).toBe('succeeded');
    const refunded = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('refund.succeeded')));
    expect(refunded).toMatchObject({
      type: 'refund.succeeded',
      refundId: refund.refundId,
      paymentId: paid.paymentId,
      amountMinor: 800,
    });
  });

  it('reports a failed attempt and an expired checkout', async () => {
    const input = checkout();
    const session = await gateway.createCheckoutSession(input);
    await sandbox.clickButton(session.redirectUrl, 'Fail');
    expect(await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('payment.failed')))).toMatchObject({
      type: 'payment.failed',
      pendingOrderId: input.pendingOrderId,
    });
    expect((await sandbox.control(`/sandbox-gateway/_sandbox/sessions/${session.sessionId}/expire`)).status).toBe(204);
    expect(await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('checkout.expired')))).toMatchObject({
      type: 'checkout.expired',
      pendingOrderId: input.pendingOrderId,
    });
  });

  it('renews and cancels a subscription on request', async () => {
    const session = await gateway.createCheckoutSession(checkout({ recurring: { interval: 'month' } }));
    await sandbox.clickButton(session.redirectUrl, 'Pay');
    const paid = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('payment.succeeded')));
    if (paid.type !== 'payment.succeeded' || !paid.subscriptionId) throw new Error('no subscription');
    await sandbox.control(`/sandbox-gateway/_sandbox/subscriptions/${paid.subscriptionId}/renew`);
    expect(await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('subscription.renewed')))).toMatchObject({
      type: 'subscription.renewed',
      subscriptionId: paid.subscriptionId,
      amountMinor: 800,
    });
    await sandbox.control(`/sandbox-gateway/_sandbox/subscriptions/${paid.subscriptionId}/cancel`);
    expect(await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('subscription.cancelled')))).toMatchObject(
      {
        type: 'subscription.cancelled',
        subscriptionId: paid.subscriptionId,
      },
    );
  });

  it('reports a declined renewal, and stops renewing at the period’s end when asked', async () => {
    const session = await gateway.createCheckoutSession(checkout({ recurring: { interval: 'month' } }));
    await sandbox.clickButton(session.redirectUrl, 'Pay');
    const paid = await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('payment.succeeded')));
    if (paid.type !== 'payment.succeeded' || !paid.subscriptionId) throw new Error('no subscription');
    await sandbox.control(`/sandbox-gateway/_sandbox/subscriptions/${paid.subscriptionId}/fail`);
    expect(
      await verifyAndNormalize(await sandbox.receiver.waitFor(eventType('subscription.payment_failed'))),
    ).toMatchObject({
      type: 'subscription.payment_failed',
      subscriptionId: paid.subscriptionId,
      reason: 'the card was declined in the sandbox',
    });
    const { currentPeriodEnd } = await gateway.cancelSubscription({
      subscriptionId: paid.subscriptionId,
      idempotencyKey: randomUUID(),
    });
    const days = ((currentPeriodEnd?.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(27);
    expect((await sandbox.control(`/sandbox-gateway/_sandbox/subscriptions/${paid.subscriptionId}/renew`)).status).toBe(
      409,
    );
  });

  it('tests the connection with an authenticated call, and says when the secret is wrong', async () => {
    expect(await gateway.testConnection()).toEqual({
      ok: true,
      message: `The sandbox gateway at ${sandbox.url}/sandbox-gateway accepted our secret.`,
    });
    const wrong = new SandboxGateway({
      apiUrl: `${sandbox.url}/sandbox-gateway`,
      secret: 'x'.repeat(24),
      timeoutMs: 2_000,
    });
    await expect(wrong.testConnection()).rejects.toThrow(/401/);
  });

  it('returns the same session for the same idempotency key', async () => {
    const input = checkout();
    const first = await gateway.createCheckoutSession(input);
    expect((await gateway.createCheckoutSession(input)).sessionId).toBe(first.sessionId);
    expect((await gateway.createCheckoutSession({ ...input, idempotencyKey: randomUUID() })).sessionId).not.toBe(
      first.sessionId,
    );
  });

  it('refuses tampered, foreign, unsigned and expired webhooks', async () => {
    const session = await gateway.createCheckoutSession(checkout());
    await sandbox.clickButton(session.redirectUrl, 'Pay');
    const webhook = await sandbox.receiver.waitFor(eventType('payment.succeeded'));
    const body = webhook.body.toString();
    const refuse = (raw: string, headers: Record<string, string | string[] | undefined>) =>
      expect(gateway.verifyWebhook(Buffer.from(raw), headers)).rejects.toBeInstanceOf(WebhookVerificationError);
    await refuse(body.replace('"amount_minor":800', '"amount_minor":1'), webhook.headers);
    await refuse(body, {
      'handover-sandbox-signature': signSandboxPayload(body, 'another-secret-of-length', new Date()),
    });
    await refuse(body, {});
    await refuse(body, {
      'handover-sandbox-signature': signSandboxPayload(body, secret, new Date(Date.now() - 301_000)),
    });
  });

  it('surfaces an injected 503 as a transient error', async () => {
    await sandbox.control('/_control/faults/sandbox-gateway', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    await expect(gateway.createCheckoutSession(checkout())).rejects.toBeInstanceOf(TransientError);
  });
});
