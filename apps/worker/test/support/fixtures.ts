import {
  addJob,
  createFulfillmentRecords,
  type DriverRegistry,
  generateOrderCode,
  type JobName,
  type JobPayload,
  jobSpec,
  type SecretBox,
} from '@handover/core';
import {
  FulfillmentRecord,
  InventoryItem,
  InventoryPool,
  Order,
  OrderItem,
  Product,
  type RetryPolicy,
  User,
} from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';

export async function createTestkitProduct(
  em: EntityManager,
  options: { slug: string; config?: Record<string, unknown>; retryPolicy?: RetryPolicy; driver?: string },
): Promise<Product> {
  const product = em.create(Product, {
    slug: options.slug,
    name: `Testkit ${options.slug}`,
    priceMinor: 1000,
    currency: 'USD',
    deliveryModel: 'saas_singletenant',
    fulfillmentDriver: options.driver ?? 'testkit',
    fulfillmentConfig: { pollIntervalMs: 50, maxPolls: 20, ...options.config },
    retryPolicy: options.retryPolicy ?? { maxAttempts: 3, backoffSeconds: [0.1, 0.2] },
  });
  await em.flush();
  return product;
}

/** A managed email setup product done by hand (the manual driver), paid on the sandbox gateway. */
export async function createManagedSetupProduct(em: EntityManager): Promise<Product> {
  const product = em.create(Product, {
    slug: 'managed-setup',
    name: 'Managed email setup',
    priceMinor: 14900,
    currency: 'USD',
    deliveryModel: 'managed_setup',
    fulfillmentDriver: 'manual',
    fulfillmentConfig: { queue: 'ops', slaHours: 24, instructions: 'Configure the mail setup.' },
    enabledPaymentGateways: ['sandbox'],
    defaultPaymentGateway: 'sandbox',
  });
  await em.flush();
  return product;
}

/**
 * An order with one item per input, its records created and their jobs enqueued: paid, or with
 * `isTest` a staff test order that skips payment (seed 000 "Testing Without Payment").
 */
export async function placeOrder(
  em: EntityManager,
  registry: DriverRegistry,
  product: Product,
  inputs: Record<string, unknown>[],
  { email = 'customer@example.com', isTest = false }: { email?: string; isTest?: boolean } = {},
): Promise<{ order: Order; records: FulfillmentRecord[] }> {
  return em.fork().transactional(async (tem) => {
    const managed = await tem.findOneOrFail(Product, { id: product.id });
    const user = (await tem.findOne(User, { email })) ?? tem.create(User, { email });
    const order = tem.create(Order, {
      orderCode: generateOrderCode(),
      user,
      email,
      amountMinor: isTest ? 0 : product.priceMinor * inputs.length,
      currency: product.currency,
      paymentGateway: isTest ? null : 'sandbox',
      paidAt: isTest ? null : new Date(),
      isTest,
    });
    const plans = inputs.map((input) => ({
      product: managed,
      item: tem.create(OrderItem, {
        order,
        product: managed,
        productName: product.name,
        driver: product.fulfillmentDriver,
        unitPriceMinor: product.priceMinor,
        currency: product.currency,
        input,
      }),
    }));
    await tem.flush();
    const records = await createFulfillmentRecords(tem, registry, order, plans, { start: true });
    return { order, records };
  });
}

export async function stockPool(
  em: EntityManager,
  box: SecretBox,
  slug: string,
  count: number,
  from = 1,
): Promise<void> {
  const pool =
    (await em.findOne(InventoryPool, { slug })) ??
    em.create(InventoryPool, { slug, name: `Pool ${slug}`, lowStockThreshold: 5 });
  // A millisecond apart, so FIFO (by created_at) takes them in number order.
  const start = Date.now();
  for (let i = from; i < from + count; i++) {
    em.create(InventoryItem, {
      pool,
      email: `account-${String(i).padStart(4, '0')}@outlook.test`,
      secretEncrypted: box.encrypt(`Pass-${i}!`),
      createdAt: new Date(start + i - from),
    });
  }
  await em.flush();
}

/** What an inventory import does once it has added stock to the pool `slug`: the records waiting for it wake. */
export async function announceRestock(em: EntityManager, slug: string): Promise<void> {
  const pool = await em.findOneOrFail(InventoryPool, { slug });
  await em.transactional((tem) => addJob(tem, jobSpec('inventory_restocked', { poolId: pool.id })));
}

/** Adds a job and waits until a worker has run it (graphile-worker deletes a job once it succeeds). */
export async function runJob<N extends JobName>(em: EntityManager, task: N, payload: JobPayload<N>): Promise<void> {
  const [job] = await em.execute<{ id: string }[]>('select (graphile_worker.add_job(?, ?::json)).id as id', [
    task,
    JSON.stringify(payload),
  ]);
  await until(
    async () => {
      const [row] = await em.execute<{ left: number; errors: number }[]>(
        'select count(*)::int as left, count(last_error)::int as errors from graphile_worker._private_jobs where id = ?',
        [job?.id],
      );
      if (row?.errors) throw new Error(`${task} job failed`);
      return row?.left === 0;
    },
    { what: `${task} job` },
  );
}

export async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  { timeoutMs = 30_000, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} not reached within ${timeoutMs} ms`);
}

/** The record once it is in one of `statuses` and no worker holds it. */
export function settledRecord(em: () => EntityManager, id: string, statuses: string[]): Promise<FulfillmentRecord> {
  return until(
    async () => {
      const r = await em().findOneOrFail(FulfillmentRecord, { id });
      return statuses.includes(r.status) && r.lockedBy === null ? r : null;
    },
    { what: `record ${id} in ${statuses.join('/')}` },
  );
}
