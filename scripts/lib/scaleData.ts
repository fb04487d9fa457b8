import pg from 'pg';

export interface ScaleOptions {
  /** Orders to make; each has one item (every tenth has two), a payment, records and logs. */
  orders: number;
  /** Fulfillment log rows, spread over the records. */
  logs: number;
  /** The orders' times are spread evenly over this many days, up to `end`. */
  days?: number;
  end?: Date;
  /** Rows per INSERT … SELECT statement. */
  batch?: number;
  onProgress?: (message: string) => void;
}

// Deterministic ids (md5 of a prefix and the row's number), so that children find their
// parents without a lookup and the same options fill the same rows.
const id = (prefix: string, n: string) => `md5('${prefix}' || ${n})::uuid`;

const PRODUCTS = [
  {
    key: 0,
    slug: 'scale-m365',
    name: 'Microsoft 365 domain',
    driver: 'm365-domain',
    model: 'domain_provisioning',
    price: 1500,
    currency: 'USD',
  },
  {
    key: 1,
    slug: 'scale-bundle',
    name: 'AT-iShare 5 GB',
    driver: 'data-bundle',
    model: 'data_bundle',
    price: 2500,
    currency: 'GHS',
  },
  {
    key: 2,
    slug: 'scale-licence',
    name: 'POS licence',
    driver: 'license-download',
    model: 'self_hosted_license',
    price: 4900,
    currency: 'EUR',
  },
  {
    key: 3,
    slug: 'scale-setup',
    name: 'Managed setup',
    driver: 'manual',
    model: 'managed_setup',
    price: 9900,
    currency: 'USD',
  },
];

const ERRORS = [
  'AT-iShare unavailable (503)',
  'Insufficient balance at AT-iShare',
  'Network timeout after 15000 ms',
  'Invalid phone number',
  'PlugSaaS addOrder rejected: domain already registered',
  'Nameserver update refused by registrar',
  'Rate limited, retry after 60 s',
  'Licence server returned 500',
];

/**
 * Fills a migrated database with realistic volumes: customers, products, orders and their items,
 * payments, refunds (one order in twenty, half of them partial), fulfillment records (mostly
 * done, some failed, some on their way), fulfillment logs and wallet movements. INSERT … SELECT
 * over generate_series, a batch per statement: the rows are made inside PostgreSQL.
 */
export async function fillScaleData(url: string, options: ScaleOptions): Promise<{ orders: number; logs: number }> {
  const { orders, logs, days = 365, end = new Date(), batch = 100_000 } = options;
  const progress = options.onProgress ?? (() => {});
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = (text: string, values: unknown[] = []) => client.query(text, values);
    const start = new Date(end.getTime() - days * 86_400_000);
    const span = (end.getTime() - start.getTime()) / 1000;
    const customers = Math.max(1, Math.ceil(orders / 20));

    for (const p of PRODUCTS) {
      await q(
        `insert into products (id, slug, name, price_minor, currency, delivery_model, fulfillment_driver, enabled_payment_gateways, default_payment_gateway)
         values (${id('product', `'${p.key}'`)}, $1, $2, $3, $4, $5, $6, '["stripe","paypal","dodo","wallet"]', 'stripe')
         on conflict do nothing`,
        [p.slug, p.name, p.price, p.currency, p.model, p.driver],
      );
    }
    // The product of order g is g % 4; these pick its columns in SQL.
    const pick = (field: keyof (typeof PRODUCTS)[number]) =>
      `(array[${PRODUCTS.map((p) => (typeof p[field] === 'number' ? p[field] : `'${p[field]}'`)).join(',')}])[(g % 4) + 1]`;
    const paidAt = `($1::timestamptz + make_interval(secs => (g::float8 / $2) * $3))`;

    await inBatches(customers, batch, async (from, to) => {
      await q(
        `insert into users (id, email, phone, created_at)
         select ${id('user', 'g')}, 'customer-' || g || '@example.com', '+2332' || lpad((g % 100000000)::text, 8, '0'), $3
           from generate_series($1::int, $2::int) g on conflict do nothing`,
        [from, to, start],
      );
      progress(`customers ${to}/${customers}`);
    });

    await inBatches(orders, batch, async (from, to) => {
      const params = [start, orders, span, from, to, customers];
      const gateway = `(array['stripe','paypal','dodo','wallet','stripe'])[(g % 5) + 1]`;
      await q(
        `insert into orders (id, order_code, user_id, email, phone, status, fulfillment_status, payment_gateway, payment_reference,
                             amount_minor, refunded_minor, currency, is_test, paid_at, completed_at, created_at, updated_at)
         select ${id('order', 'g')}, 'HO-S' || lpad(g::text, 8, '0'), ${id('user', '(g % $6) + 1')},
                'customer-' || ((g % $6) + 1) || '@example.com', '+2332' || lpad(((g % $6) + 1)::text, 8, '0'),
                case when g % 20 = 0 then (case when g % 40 = 0 then 'refunded' else 'partially_refunded' end) else 'paid' end,
                case when g % 100 < 88 then 'completed' when g % 100 < 95 then 'failed' else 'processing' end,
                ${gateway}, 'pay_' || g,
                ${pick('price')} * (case when g % 10 = 0 then 2 else 1 end),
                case when g % 40 = 0 then ${pick('price')} * (case when g % 10 = 0 then 2 else 1 end)
                     when g % 20 = 0 then ${pick('price')} / 2 else 0 end,
                ${pick('currency')}, g % 200 = 0, ${paidAt},
                case when g % 100 < 88 then ${paidAt} + make_interval(secs => 20 + (g::bigint * 7919) % 900) end,
                ${paidAt}, ${paidAt}
           from generate_series($4::int, $5::int) g`,
        params,
      );
      // Every tenth order has a second item of the same product: two lines, the price split between them.
      await q(
        `insert into order_items (id, order_id, product_id, product_name, driver, quantity, unit_price_minor, currency, input, created_at)
         select ${id('item', "g || '-' || k")}, ${id('order', 'g')}, ${id('product', '(g % 4)::text')}, ${pick('name')}, ${pick('driver')},
                1, ${pick('price')}, ${pick('currency')}, '{}', ${paidAt}
           from generate_series($4::int, $5::int) g, generate_series(1, 2) k
          where k = 1 or g % 10 = 0`,
        params.slice(0, 5),
      );
      await q(
        `insert into payments (id, order_id, user_id, gateway, gateway_payment_id, purpose, amount_minor, refunded_minor, currency, status, paid_at, created_at, updated_at)
         select ${id('payment', 'g')}, o.id, o.user_id, o.payment_gateway, 'pay_' || g, 'order', o.amount_minor, o.refunded_minor, o.currency,
                case when o.refunded_minor = 0 then 'succeeded' when o.refunded_minor < o.amount_minor then 'partially_refunded' else 'refunded' end,
                o.paid_at, o.paid_at, o.paid_at
           from generate_series($1::int, $2::int) g join orders o on o.id = ${id('order', 'g')}
          where not o.is_test`,
        [from, to],
      );
      await q(
        `insert into refunds (id, order_id, payment_id, gateway, gateway_refund_id, amount_minor, currency, destination, status, reason, completed_at, created_at, updated_at)
         select ${id('refund', 'g')}, o.id, ${id('payment', 'g')}, o.payment_gateway, 're_' || g, o.refunded_minor, o.currency,
                case when o.payment_gateway = 'wallet' then 'wallet' else 'gateway' end, 'succeeded',
                case when o.refunded_minor < o.amount_minor then 'Partial: one line not delivered' else 'Customer asked' end,
                o.paid_at + interval '2 days', o.paid_at + interval '2 days', o.paid_at + interval '2 days'
           from generate_series($1::int, $2::int) g join orders o on o.id = ${id('order', 'g')}
          where o.refunded_minor > 0 and not o.is_test`,
        [from, to],
      );
      await q(
        `insert into fulfillment_records (id, order_id, order_item_id, product_id, driver, position, subject, status, attempts,
                                          payload_snapshot, last_error, is_test, started_at, completed_at, failed_at, created_at, updated_at)
         select ${id('record', 'i.id::text')}, o.id, i.id, i.product_id, i.driver, 0,
                case when i.driver = 'data-bundle' then o.phone else 'shop' || (g % 50000) || '.example.com' end,
                case when g % 100 < 88 then (case when g % 4 = 0 then 'active' else 'completed' end)
                     when g % 100 < 95 then 'failed' else 'processing' end,
                case when g % 100 < 88 then 1 else 3 end, '{}',
                case when g % 100 between 88 and 94 then (array[${ERRORS.map((e) => `'${e}'`).join(',')}])[(g % ${ERRORS.length}) + 1] end,
                o.is_test, o.paid_at, o.completed_at,
                case when g % 100 between 88 and 94 then o.paid_at + interval '1 hour' end, o.paid_at, o.paid_at
           from generate_series($1::int, $2::int) g join orders o on o.id = ${id('order', 'g')}
           join order_items i on i.order_id = o.id`,
        [from, to],
      );
      await q(
        `insert into wallet_accounts (id, user_id, currency, balance_minor)
         select distinct on (o.user_id) ${id('wallet', 'o.user_id::text')}, o.user_id, 'GHS', 0
           from generate_series($1::int, $2::int) g join orders o on o.id = ${id('order', 'g')}
          where o.payment_gateway = 'wallet' and o.currency = 'GHS'
         on conflict do nothing`,
        [from, to],
      );
      await q(
        `insert into wallet_entries (account_id, amount_minor, balance_after_minor, reason, reference, order_id, description, created_at)
         select ${id('wallet', 'o.user_id::text')}, v.amount, v.after, v.reason, v.reason || ':' || o.id, v.order_id, v.description, v.at
           from generate_series($1::int, $2::int) g join orders o on o.id = ${id('order', 'g')},
           lateral (values (o.amount_minor, o.amount_minor, 'top_up', null::uuid, 'Top-up through stripe', o.paid_at - interval '1 hour'),
                           (-o.amount_minor, 0, 'purchase', o.id, 'Order ' || o.order_code, o.paid_at)) v(amount, after, reason, order_id, description, at)
          where o.payment_gateway = 'wallet' and o.currency = 'GHS' and not o.is_test`,
        [from, to],
      );
      progress(`orders ${to}/${orders}`);
    });

    const records = await q('select count(*)::int as n from fulfillment_records');
    const recordCount = Number(records.rows[0]?.n ?? 0);
    // The records in order, numbered, so that log n belongs to record n % count.
    await q(
      'create temporary table scale_records as select row_number() over (order by id) as n, id, order_id, driver, subject, created_at from fulfillment_records',
    );
    await q('create index on scale_records (n)');
    await inBatches(logs, batch, async (from, to) => {
      await q(
        `insert into fulfillment_logs (record_id, order_id, driver, network, phone_number, subject, kind, step, status, attempt_number,
                                       max_attempts, method, url, http_status, duration_ms, error_message, created_at)
         select r.id, r.order_id, r.driver, case when r.driver = 'data-bundle' then 'AT-iShare' end,
                case when r.driver = 'data-bundle' then r.subject end, r.subject,
                (array['attempt','provider_call','provider_call','transition'])[(g % 4) + 1], 'deliver',
                case when g % 10 = 0 then 'failed' when g % 10 = 1 then 'pending' else 'success' end,
                1 + (g / $3) % 3, 3, 'POST', 'https://provider.example/api/' || r.driver,
                case when g % 10 = 0 then (array[503, 400, 500, 429])[(g % 4) + 1] else 200 end, 40 + (g % 900),
                case when g % 10 = 0 then (array[${ERRORS.map((e) => `'${e}'`).join(',')}])[((g / 10) % ${ERRORS.length}) + 1] end,
                r.created_at + make_interval(secs => (g / $3) * 30)
           from generate_series($1::int, $2::int) g join scale_records r on r.n = (g % $3) + 1`,
        [from, to, recordCount],
      );
      progress(`fulfillment logs ${to}/${logs}`);
    });
    await q('drop table scale_records');
    progress('analyzing');
    await q('analyze');
    return { orders, logs };
  } finally {
    await client.end();
  }
}

async function inBatches(total: number, size: number, work: (from: number, to: number) => Promise<void>) {
  for (let from = 1; from <= total; from += size) await work(from, Math.min(total, from + size - 1));
}
