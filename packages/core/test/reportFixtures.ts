import type { EntityManager } from '@mikro-orm/postgresql';

/** Inserts one row and returns its id; objects go in as JSON. */
async function insert(em: EntityManager, table: string, row: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(row);
  const values = Object.values(row).map((v) =>
    v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v,
  );
  const [result] = await em.execute<{ id: string }[]>(
    `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) returning id`,
    values,
  );
  return String(result?.id);
}

const at = (iso: string, plusSeconds = 0) => new Date(Date.parse(iso) + plusSeconds * 1000);

/**
 * A small, hand-countable month for the reports (the expected figures are worked out in
 * reports.test.ts): three currencies, a partial and a full refund, a refund whose split leaves a
 * remainder, a test order, a pending refund, an order outside the range and a wallet top-up.
 */
export async function seedReportFixtures(em: EntityManager) {
  const user = await insert(em, 'users', { email: `buyer-${Date.now()}@example.com`, role: 'customer' });
  const setup = await insert(em, 'products', {
    slug: `setup-${Date.now()}`,
    name: 'Managed setup',
    price_minor: 1000,
    delivery_model: 'managed_setup',
    fulfillment_driver: 'manual',
  });
  const bundle = await insert(em, 'products', {
    slug: `bundle-${Date.now()}`,
    name: 'Data bundle',
    price_minor: 500,
    delivery_model: 'data_bundle',
    fulfillment_driver: 'data-bundle',
  });
  const driverOf = (product: string) => (product === setup ? 'manual' : 'data-bundle');
  let n = 0;

  async function order(o: {
    currency: string;
    gateway: string;
    paidAt: string;
    lines: { product: string; quantity: number; unit: number }[];
    isTest?: boolean;
  }) {
    const amount = o.lines.reduce((sum, l) => sum + l.quantity * l.unit, 0);
    const orderId = await insert(em, 'orders', {
      order_code: `HO-R${String(++n).padStart(4, '0')}`,
      user_id: user,
      email: 'buyer@example.com',
      amount_minor: amount,
      currency: o.currency,
      payment_gateway: o.gateway,
      is_test: o.isTest ?? false,
      paid_at: at(o.paidAt),
      created_at: at(o.paidAt),
    });
    const items: { id: string; product: string }[] = [];
    for (const [i, l] of o.lines.entries()) {
      const id = await insert(em, 'order_items', {
        order_id: orderId,
        product_id: l.product,
        product_name: l.product === setup ? 'Managed setup' : 'Data bundle',
        driver: driverOf(l.product),
        quantity: l.quantity,
        unit_price_minor: l.unit,
        currency: o.currency,
        input: {},
        created_at: at(o.paidAt, i),
      });
      items.push({ id, product: l.product });
    }
    const paymentId = o.isTest
      ? null
      : await insert(em, 'payments', {
          order_id: orderId,
          user_id: user,
          gateway: o.gateway,
          gateway_payment_id: `pay_${n}`,
          purpose: 'order',
          amount_minor: amount,
          currency: o.currency,
          paid_at: at(o.paidAt),
        });
    return { orderId, paymentId, items, paidAt: o.paidAt, currency: o.currency, gateway: o.gateway, isTest: o.isTest };
  }

  async function refund(
    o: Awaited<ReturnType<typeof order>>,
    amount: number,
    completedAt: string,
    status = 'succeeded',
    paymentId = o.paymentId,
  ) {
    await insert(em, 'refunds', {
      order_id: o.orderId,
      payment_id: paymentId,
      gateway: o.gateway,
      gateway_refund_id: `re_${++n}`,
      amount_minor: amount,
      currency: o.currency,
      destination: 'gateway',
      status,
      completed_at: status === 'succeeded' ? at(completedAt) : null,
    });
  }

  async function record(
    o: Awaited<ReturnType<typeof order>>,
    item: number,
    status: string,
    completedAfterSeconds: number | null,
  ) {
    const it = o.items[item];
    if (!it) throw new Error('no such item');
    return insert(em, 'fulfillment_records', {
      order_id: o.orderId,
      order_item_id: it.id,
      product_id: it.product,
      driver: driverOf(it.product),
      status,
      payload_snapshot: {},
      is_test: o.isTest ?? false,
      created_at: at(o.paidAt),
      completed_at: completedAfterSeconds === null ? null : at(o.paidAt, completedAfterSeconds),
    });
  }

  async function log(
    o: Awaited<ReturnType<typeof order>>,
    recordId: string,
    entry: { kind: string; status: string; attempt: number; httpStatus?: number; error?: string },
  ) {
    await insert(em, 'fulfillment_logs', {
      record_id: recordId,
      order_id: o.orderId,
      driver: 'data-bundle',
      kind: entry.kind,
      status: entry.status,
      attempt_number: entry.attempt,
      http_status: entry.httpStatus ?? null,
      error_message: entry.error ?? null,
      created_at: at(o.paidAt, entry.attempt),
    });
  }

  // 1: USD by Stripe, two products; a partial refund of 500 and a pending one of 300.
  const o1 = await order({
    currency: 'USD',
    gateway: 'stripe',
    paidAt: '2026-11-10T15:00:00Z',
    lines: [
      { product: setup, quantity: 1, unit: 1000 },
      { product: bundle, quantity: 2, unit: 500 },
    ],
  });
  await refund(o1, 500, '2026-11-12T10:00:00Z');
  await refund(o1, 300, '2026-11-12T11:00:00Z', 'pending');
  await record(o1, 0, 'completed', 60);
  const failed = await record(o1, 1, 'failed', null);
  for (const attempt of [1, 2, 3]) {
    await log(o1, failed, { kind: 'attempt', status: 'failed', attempt });
    await log(o1, failed, {
      kind: 'provider_call',
      status: 'failed',
      attempt,
      httpStatus: attempt === 3 ? 400 : 503,
      error: attempt === 3 ? 'Invalid phone' : 'AT-iShare unavailable',
    });
  }

  // 2: EUR by PayPal, refunded in full; paid at 21:00 on the 10th in New York, 02:00 on the 11th in UTC.
  const o2 = await order({
    currency: 'EUR',
    gateway: 'paypal',
    paidAt: '2026-11-11T02:00:00Z',
    lines: [{ product: setup, quantity: 1, unit: 999 }],
  });
  await refund(o2, 999, '2026-11-11T05:00:00Z');
  await record(o2, 0, 'completed', 120);

  // 3: GHS from the wallet, topped up first.
  const o3 = await order({
    currency: 'GHS',
    gateway: 'wallet',
    paidAt: '2026-11-12T23:30:00Z',
    lines: [{ product: bundle, quantity: 3, unit: 333 }],
  });
  const bundleRecord = await record(o3, 0, 'completed', 300);
  await log(o3, bundleRecord, { kind: 'attempt', status: 'pending', attempt: 1 });
  await log(o3, bundleRecord, { kind: 'attempt', status: 'success', attempt: 2 });
  const account = await insert(em, 'wallet_accounts', { user_id: user, currency: 'GHS', balance_minor: 1001 });
  await insert(em, 'payments', {
    order_id: null,
    user_id: user,
    gateway: 'stripe',
    gateway_payment_id: 'pay_topup',
    purpose: 'wallet_top_up',
    amount_minor: 2000,
    currency: 'GHS',
    paid_at: at('2026-11-12T20:00:00Z'),
  });
  await insert(em, 'wallet_entries', {
    account_id: account,
    amount_minor: 2000,
    balance_after_minor: 2000,
    reason: 'top_up',
    reference: 'top_up:1',
    created_at: at('2026-11-12T20:00:00Z'),
  });
  await insert(em, 'wallet_entries', {
    account_id: account,
    amount_minor: -999,
    balance_after_minor: 1001,
    reason: 'purchase',
    reference: `purchase:${o3.orderId}`,
    order_id: o3.orderId,
    created_at: at('2026-11-12T23:30:00Z'),
  });

  // 4: a test order with a payment row and a refund of its own: none of it counts.
  const o4 = await order({
    currency: 'USD',
    gateway: 'sandbox',
    paidAt: '2026-11-11T12:00:00Z',
    lines: [{ product: setup, quantity: 5, unit: 1000 }],
    isTest: true,
  });
  const testPayment = await insert(em, 'payments', {
    order_id: o4.orderId,
    user_id: user,
    gateway: 'sandbox',
    gateway_payment_id: 'pay_test',
    purpose: 'order',
    amount_minor: 5000,
    currency: 'USD',
    paid_at: at('2026-11-11T12:00:00Z'),
  });
  await refund(o4, 100, '2026-11-11T13:00:00Z', 'succeeded', testPayment);
  const testRecord = await record(o4, 0, 'completed', 10);
  await log(o4, testRecord, { kind: 'provider_call', status: 'failed', attempt: 1, httpStatus: 500, error: 'test' });

  // 5: paid after the range.
  await order({
    currency: 'USD',
    gateway: 'stripe',
    paidAt: '2026-12-05T12:00:00Z',
    lines: [{ product: setup, quantity: 1, unit: 1000 }],
  });

  // 6: 100 + 200 = 300, refunded 100: the split is 33.3 / 66.6, so the first item takes the odd unit.
  const o6 = await order({
    currency: 'USD',
    gateway: 'stripe',
    paidAt: '2026-11-13T12:00:00Z',
    lines: [
      { product: setup, quantity: 1, unit: 100 },
      { product: bundle, quantity: 1, unit: 200 },
    ],
  });
  await refund(o6, 100, '2026-11-13T13:00:00Z');
  await record(o6, 0, 'completed', 30);
  await record(o6, 1, 'processing', null);

  return { setup, bundle };
}
