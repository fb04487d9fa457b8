import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '@handover/core';
import { Order, PaymentEvent, PendingOrder, Product, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaymentStack, startPaymentStack, until } from './paymentStack';

/** Stands in for the gateway's delivery queue: keeps what the emulator sent, to replay it to the server. */
async function deliveryRecorder() {
  const received: { path: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('POST /webhooks/:gateway: signatures on the raw body', () => {
  const db = useTestDatabase();
  const em = () => db.orm.em.fork();
  let stack: PaymentStack;
  let product: Product;

  beforeAll(async () => {
    stack = await startPaymentStack({ orm: db.orm, databaseUrl: db.url, clock: systemClock });
    product = em().create(Product, {
      slug: 'managed-setup',
      name: 'Managed setup',
      priceMinor: 4900,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'ops', slaHours: 4, instructions: 'Set it up.' },
      enabledPaymentGateways: ['stripe', 'paypal', 'dodo', 'sandbox'],
    });
    await em().persistAndFlush(product);
  });
  afterAll(() => stack?.close());

  async function pendingOrder(gateway: PendingOrder['paymentGateway']): Promise<PendingOrder> {
    const pending = em().create(PendingOrder, {
      email: `${randomUUID().slice(0, 8)}@example.com`,
      items: [{ productId: product.id, productName: product.name, quantity: 1, unitPriceMinor: 4900, input: {} }],
      amountMinor: 4900,
      currency: 'USD',
      paymentGateway: gateway,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    await em().persistAndFlush(pending);
    return pending;
  }

  const post = (gateway: string, body: string | Buffer, headers: Record<string, string>) =>
    fetch(`${stack.base}/webhooks/${gateway}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  const state = async () => ({
    orders: await em().count(Order),
    users: await em().count(User),
    paid: await em().count(PendingOrder, { status: 'paid' }),
    accepted: await em().count(PaymentEvent, { status: { $ne: 'rejected' } }),
    rejected: await em().find(PaymentEvent, { status: 'rejected' }),
  });

  /** Every refusal answers 400 and adds one rejected row, with no event id or payload, and nothing else; the row says why. */
  async function expectRefused(send: () => Promise<Response>, reason: RegExp) {
    const before = await state();
    const response = await send();
    expect(response.status).toBe(400);
    // The caller learns that it was refused; why (the gateway's or the SDK's words) stays with us.
    const body = (await response.json()) as { message: string; requestId: string };
    expect(body).toMatchObject({ error: 'invalid_webhook', requestId: expect.any(String) });
    expect(body.message).not.toMatch(reason);
    const after = await state();
    expect({ ...after, rejected: after.rejected.length }).toEqual({ ...before, rejected: before.rejected.length + 1 });
    const row = after.rejected.find((r) => !before.rejected.some((b) => b.id === r.id));
    expect(row).toMatchObject({ eventId: null, payload: null, orderId: null, error: expect.stringMatching(reason) });
  }

  describe('stripe', () => {
    const completed = (pending: PendingOrder) =>
      JSON.stringify({
        id: `evt_${randomUUID().replaceAll('-', '')}`,
        object: 'event',
        type: 'checkout.session.completed',
        created: Math.floor(Date.now() / 1000),
        data: {
          object: {
            id: `cs_test_${randomUUID().replaceAll('-', '')}`,
            object: 'checkout.session',
            mode: 'payment',
            metadata: { pending_order_id: pending.id },
            client_reference_id: pending.id,
            payment_status: 'paid',
            payment_intent: `pi_${randomUUID().replaceAll('-', '')}`,
            subscription: null,
            invoice: null,
            customer: null,
            amount_total: pending.amountMinor,
            currency: 'usd',
          },
        },
      });
    const sign = (payload: string, options: { secret?: string; timestamp?: number } = {}) => ({
      'stripe-signature': new Stripe(stack.secrets.STRIPE_SECRET_KEY).webhooks.generateTestHeaderString({
        payload,
        secret: options.secret ?? stack.secrets.STRIPE_WEBHOOK_SECRET,
        ...(options.timestamp ? { timestamp: options.timestamp } : {}),
      }),
    });

    it("accepts an event signed with the stripe SDK's test-header helper and creates its order", async () => {
      const pending = await pendingOrder('stripe');
      const payload = completed(pending);
      const response = await post('stripe', payload, sign(payload));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: true, status: 'processed' });
      expect(await em().findOneOrFail(Order, { pendingOrder: pending.id })).toMatchObject({
        paymentGateway: 'stripe',
        paymentReference: JSON.parse(payload).data.object.payment_intent,
      });
    });

    it('refuses a tampered body, another secret, a missing header and a signature older than 300 s', async () => {
      const pending = await pendingOrder('stripe');
      const payload = completed(pending);
      const signed = sign(payload);
      await expectRefused(
        () => post('stripe', payload.replace('"amount_total":4900', '"amount_total":1'), signed),
        /signature/,
      );
      await expectRefused(() => post('stripe', payload, sign(payload, { secret: 'whsec_forged' })), /signature/);
      await expectRefused(() => post('stripe', payload, {}), /missing Stripe-Signature/);
      const old = Math.floor(Date.now() / 1000) - 301;
      await expectRefused(() => post('stripe', payload, sign(payload, { timestamp: old })), /tolerance/);
      // Dated ahead of our clock by more than the tolerance: refused like a stale one.
      const ahead = Math.floor(Date.now() / 1000) + 301;
      await expectRefused(() => post('stripe', payload, sign(payload, { timestamp: ahead })), /ahead of our clock/);
      expect((await em().findOneOrFail(PendingOrder, pending.id)).status).toBe('pending_payment');
    });
  });

  describe('dodo (Standard Webhooks)', () => {
    const succeeded = (pending: PendingOrder) =>
      JSON.stringify({
        business_id: 'bus_test',
        type: 'payment.succeeded',
        timestamp: new Date().toISOString(),
        data: {
          payload_type: 'Payment',
          payment_id: `pay_${randomUUID().replaceAll('-', '')}`,
          total_amount: pending.amountMinor,
          currency: 'USD',
          metadata: { pending_order_id: pending.id },
          checkout_session_id: `cks_${randomUUID().replaceAll('-', '')}`,
          subscription_id: null,
        },
      });
    const sign = (payload: string, id = `msg_${randomUUID()}`, at = new Date(), secret?: string) => ({
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret ?? stack.secrets.DODO_WEBHOOK_SECRET).sign(id, at, payload),
    });

    it('accepts a Standard Webhooks signature, and takes the webhook-id as the event id', async () => {
      const pending = await pendingOrder('dodo');
      const payload = succeeded(pending);
      const headers = sign(payload);
      expect((await post('dodo', payload, headers)).status).toBe(200);
      expect(await em().count(Order, { pendingOrder: pending.id })).toBe(1);
      expect(await em().findOneOrFail(PaymentEvent, { gateway: 'dodo', eventId: headers['webhook-id'] })).toMatchObject(
        {
          status: 'processed',
        },
      );
      const again = await post('dodo', payload, sign(payload, headers['webhook-id']));
      expect(await again.json()).toEqual({ received: true, status: 'duplicate' });
    });

    it('refuses a tampered body, a changed id, another secret and a timestamp stale or ahead', async () => {
      const pending = await pendingOrder('dodo');
      const payload = succeeded(pending);
      const headers = sign(payload);
      await expectRefused(() => post('dodo', payload.replace('"USD"', '"EUR"'), headers), /signature/);
      await expectRefused(() => post('dodo', payload, { ...headers, 'webhook-id': 'msg_other' }), /signature/);
      const forged = sign(payload, undefined, new Date(), `whsec_${Buffer.from('not the secret').toString('base64')}`);
      await expectRefused(() => post('dodo', payload, forged), /signature/);
      await expectRefused(
        () => post('dodo', payload, sign(payload, undefined, new Date(Date.now() - 6 * 60_000))),
        /timestamp/i,
      );
      await expectRefused(
        () => post('dodo', payload, sign(payload, undefined, new Date(Date.now() + 6 * 60_000))),
        /timestamp/i,
      );
    });
  });

  describe('paypal (verify-webhook-signature)', () => {
    it('accepts what PayPal signed, refuses it changed, and answers 503 while PayPal cannot be asked', async () => {
      const recorder = await deliveryRecorder();
      try {
        await stack.control('/_control/webhooks', 'PUT', { baseUrl: recorder.url });
        const pending = await pendingOrder('paypal');
        const session = await stack.gateways.paypal?.createCheckoutSession({
          pendingOrderId: pending.id,
          customerEmail: pending.email,
          currency: 'USD',
          amountMinor: 4900,
          lineItems: [{ name: 'Managed setup', quantity: 1, unitAmountMinor: 4900 }],
          successUrl: 'http://portal.test/done',
          cancelUrl: 'http://portal.test/cancel',
          idempotencyKey: randomUUID(),
        });
        expect((await stack.clickButton(session?.redirectUrl ?? '', 'Approve')).status).toBe(303);
        const delivery = await until(async () => recorder.received[0], { what: 'the approval webhook' });
        const headers = Object.fromEntries(
          Object.entries(delivery.headers).filter(([name]) => name.startsWith('paypal-')),
        ) as Record<string, string>;

        const tampered = delivery.body.toString().replace(session?.sessionId ?? '', 'ANOTHERORDER12345');
        await expectRefused(() => post('paypal', tampered, headers), /paypal signature refused/);
        const { 'paypal-transmission-sig': _sig, ...unsigned } = headers;
        await expectRefused(() => post('paypal', delivery.body, unsigned), /missing PAYPAL-TRANSMISSION-SIG/);
        // A forged header PayPal's verify call itself refuses (400 INVALID_REQUEST): a refusal, not our 500.
        const forgedCert = { ...headers, 'paypal-cert-url': 'not a url' };
        await expectRefused(
          () => post('paypal', delivery.body, forgedCert),
          /paypal refused to verify the delivery \(400\)/,
        );

        await stack.control('/_control/faults/paypal', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
        const before = await em().count(PaymentEvent);
        const unavailable = await post('paypal', delivery.body, headers);
        expect(unavailable.status).toBe(503);
        expect(unavailable.headers.get('retry-after')).toBe('30');
        expect(await em().count(PaymentEvent)).toBe(before);

        const accepted = await post('paypal', delivery.body, headers);
        expect(await accepted.json()).toEqual({ received: true, status: 'processed' });
        expect(
          await em().findOneOrFail(PaymentEvent, { gateway: 'paypal', type: 'payment.requires_capture' }),
        ).toMatchObject({
          status: 'processed',
          pendingOrderId: pending.id,
          paymentId: session?.sessionId,
        });
      } finally {
        await stack.control('/_control/webhooks', 'PUT', { baseUrl: stack.base });
        await recorder.close();
      }
    });
  });

  it('answers 404 for a gateway this server does not run', async () => {
    expect((await post('wallet', '{}', {})).status).toBe(404);
    expect((await post('acme', '{}', {})).status).toBe(404);
  });
});
