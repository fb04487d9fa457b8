import { randomBytes, randomUUID } from 'node:crypto';
import { systemClock } from '@handover/core';
import {
  AdminAlert,
  FulfillmentRecord,
  Order,
  OrderItem,
  Payment,
  PaymentEvent,
  PendingOrder,
  Product,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { createPaymentGateways, paymentGatewaysEnvSchema } from '@handover/integrations';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './harness';

const PAYMENTS = 500;
const DELIVERIES = 1_000;
const ITEMS_PER_ORDER = 2;
const CONCURRENCY = 24;

const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
const webhookSecret = `whsec_${randomBytes(12).toString('hex')}`;

/** A Stripe Checkout Session event for one pending order, as Stripe sends it. */
function sessionEvent(type: string, pending: { id: string; amountMinor: number }, paymentIntent: string): string {
  return JSON.stringify({
    id: `evt_${randomUUID().replaceAll('-', '')}`,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: `cs_test_${pending.id.replaceAll('-', '')}`,
        object: 'checkout.session',
        mode: 'payment',
        metadata: { pending_order_id: pending.id },
        client_reference_id: pending.id,
        payment_status: type === 'checkout.session.expired' ? 'unpaid' : 'paid',
        payment_intent: paymentIntent,
        subscription: null,
        invoice: null,
        customer: null,
        amount_total: pending.amountMinor,
        currency: 'usd',
      },
    },
  });
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

describe('webhooks at least once and out of order', () => {
  const db = useTestDatabase({ poolMax: 10 });
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const env = {
      STRIPE_SECRET_KEY: secretKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_URL: 'http://127.0.0.1:9',
    };
    const gateways = createPaymentGateways(paymentGatewaysEnvSchema.parse(env), { clock: systemClock });
    const server = await startServer({ orm: db.orm, databaseUrl: db.url, clock: systemClock, gateways, env });
    base = server.base;
    close = () => server.app.close();
  });
  afterAll(() => close?.());

  it(`turns ${DELIVERIES} shuffled, concurrent deliveries for ${PAYMENTS} payments into exactly ${PAYMENTS} orders and ${PAYMENTS * ITEMS_PER_ORDER} jobs`, async () => {
    const em = db.orm.em.fork();
    const product = em.create(Product, {
      slug: 'load-setup',
      name: 'Managed setup',
      priceMinor: 1500,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'ops', slaHours: 4, instructions: 'Set it up.' },
      enabledPaymentGateways: ['stripe'],
    });
    const pendings = Array.from({ length: PAYMENTS }, (_, i) =>
      em.create(PendingOrder, {
        email: `buyer-${i}@example.com`,
        items: Array.from({ length: ITEMS_PER_ORDER }, (_, n) => ({
          productId: product.id,
          productName: product.name,
          quantity: 1,
          unitPriceMinor: 1500,
          input: { notes: `line ${n}` },
        })),
        amountMinor: 1500 * ITEMS_PER_ORDER,
        currency: 'USD',
        paymentGateway: 'stripe',
        expiresAt: new Date(Date.now() + 3_600_000),
      }),
    );
    await em.flush();

    // Each payment's event once, then: exact redeliveries (same event id), a second success for the
    // same PaymentIntent under another event id, and a stale expiry arriving after the payment.
    const intents = new Map(pendings.map((p) => [p.id, `pi_${randomUUID().replaceAll('-', '')}`]));
    const firsts = pendings.map((p) => sessionEvent('checkout.session.completed', p, intents.get(p.id) ?? ''));
    const deliveries = [...firsts];
    for (const [i, pending] of pendings.entries()) {
      if (deliveries.length >= DELIVERIES) break;
      const intent = intents.get(pending.id) ?? '';
      if (i % 10 === 0) deliveries.push(sessionEvent('checkout.session.async_payment_succeeded', pending, intent));
      else if (i % 10 === 1) deliveries.push(sessionEvent('checkout.session.expired', pending, intent));
      else deliveries.push(firsts[i] as string);
    }
    expect(deliveries).toHaveLength(DELIVERIES);
    shuffle(deliveries);

    const stripe = new Stripe(secretKey);
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < deliveries.length) {
          const payload = deliveries[next++] as string;
          const response = await fetch(`${base}/webhooks/stripe`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret }),
            },
            body: payload,
          });
          await response.arrayBuffer();
          statuses.push(response.status);
        }
      }),
    );

    const check = db.orm.em.fork();
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(await check.count(Order)).toBe(PAYMENTS);
    expect(await check.count(OrderItem)).toBe(PAYMENTS * ITEMS_PER_ORDER);
    expect(await check.count(FulfillmentRecord)).toBe(PAYMENTS * ITEMS_PER_ORDER);
    expect(await check.count(Payment)).toBe(PAYMENTS);
    expect(await check.count(PendingOrder, { status: 'paid' })).toBe(PAYMENTS);
    const [jobs] = await check.execute<{ total: number; distinct_records: number }[]>(
      `select count(*)::int as total, count(distinct j.payload->>'recordId')::int as distinct_records
         from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier = 'fulfill'`,
    );
    expect(jobs).toEqual({ total: PAYMENTS * ITEMS_PER_ORDER, distinct_records: PAYMENTS * ITEMS_PER_ORDER });
    // One success per payment took effect; the second success of 50 payments changed nothing; the
    // 50 expiries were taken (an expiry that overtook its payment still let the payment in), and
    // the exact redeliveries left no row of their own.
    const succeeded = (status: 'processed' | 'ignored') =>
      check.count(PaymentEvent, { type: 'payment.succeeded', status });
    expect(await succeeded('processed')).toBe(PAYMENTS);
    expect(await succeeded('ignored')).toBe(PAYMENTS / 10);
    expect(await check.count(PaymentEvent, { type: 'checkout.expired' })).toBe(PAYMENTS / 10);
    expect(await check.count(PaymentEvent)).toBe(PAYMENTS + PAYMENTS / 10 + PAYMENTS / 10);
    expect(await check.count(AdminAlert, { type: 'duplicate_payment' })).toBe(0);
  });
});
