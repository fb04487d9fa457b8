import { randomBytes } from 'node:crypto';
import type { FulfillmentStatus, OrderStatus } from '@handover/contracts';
import { FulfillmentRecord, Order, OrderItem, Product, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';

/** An order of one product with one fulfillment record per status given, for `email`'s user. */
export async function createOrder(
  em: EntityManager,
  options: {
    email: string;
    status?: OrderStatus;
    recordStatuses?: FulfillmentStatus[];
    input?: Record<string, unknown>;
  },
): Promise<{ order: Order; records: FulfillmentRecord[] }> {
  const user = (await em.findOne(User, { email: options.email })) ?? em.create(User, { email: options.email });
  const product =
    (await em.findOne(Product, { slug: 'fixture-service' })) ??
    em.create(Product, {
      slug: 'fixture-service',
      name: 'Fixture service',
      priceMinor: 5900,
      currency: 'USD',
      deliveryModel: 'billing_service',
      fulfillmentDriver: 'whmcs',
      requiresReview: true,
    });
  const order = em.create(Order, {
    orderCode: `HO-${randomBytes(4).toString('hex').toUpperCase()}`,
    user,
    email: user.email,
    status: options.status ?? 'paid',
    amountMinor: 5900,
    currency: 'USD',
  });
  const item = em.create(OrderItem, {
    order,
    product,
    productName: product.name,
    driver: product.fulfillmentDriver,
    unitPriceMinor: 5900,
    currency: 'USD',
    input: options.input ?? {},
  });
  const records = (options.recordStatuses ?? ['queued']).map((status, position) =>
    em.create(FulfillmentRecord, {
      order,
      orderItem: item,
      product,
      driver: product.fulfillmentDriver,
      position,
      status,
      payloadSnapshot: options.input ?? {},
    }),
  );
  await em.flush();
  return { order, records };
}

export async function fulfillJobs(em: EntityManager): Promise<{ recordId: string; key: string }[]> {
  const rows = await em.execute<{ payload: { recordId: string }; key: string }[]>(
    `select j.payload, j.key from graphile_worker._private_jobs j
       join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'fulfill' order by j.id`,
  );
  return rows.map((row) => ({ recordId: row.payload.recordId, key: row.key }));
}
