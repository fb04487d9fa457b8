import { holdUnfinishedCompensation, parseEncryptionKeys, SecretBox, WriteBatch } from '@handover/core';
import type { Orm } from '@handover/db';
import {
  FulfillmentRecord,
  FulfillmentStep,
  InventoryItem,
  InventoryPool,
  Order,
  OrderItem,
  Product,
  User,
} from '@handover/db';

let made = 0;

/**
 * A failed record of the manual driver whose rollback did not finish, quarantined as the engine
 * does it (holdUnfinishedCompensation, in one batch): the inventory account it reserved is held
 * back, its undo is pending with a retry planned, and a rollback_failure alert is open.
 */
export async function quarantinedRecord(
  orm: Orm,
  keys: string,
  options: { orderCode?: string; email?: string; account?: string } = {},
) {
  const n = ++made;
  const em = orm.em.fork();
  const product =
    (await em.findOne(Product, { slug: 'quarantine-fixture' })) ??
    em.create(Product, {
      slug: 'quarantine-fixture',
      name: 'Quarantine fixture',
      priceMinor: 1000,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { slaHours: 4, instructions: 'Do it.' },
    });
  const pool =
    (await em.findOne(InventoryPool, { slug: 'quarantine-fixture' })) ??
    em.create(InventoryPool, { slug: 'quarantine-fixture', name: 'Quarantine pool', lowStockThreshold: 0 });
  const email = options.email ?? 'held@example.com';
  const user = (await em.findOne(User, { email })) ?? em.create(User, { email });
  const order = em.create(Order, {
    orderCode: options.orderCode ?? `HO-Q${String(n).padStart(5, '0')}-${Date.now() % 100000}`,
    user,
    email,
    amountMinor: 1000,
    currency: 'USD',
  });
  const item = em.create(OrderItem, {
    order,
    product,
    productName: 'Quarantine fixture',
    driver: 'manual',
    unitPriceMinor: 1000,
    currency: 'USD',
    input: {},
  });
  const record = em.create(FulfillmentRecord, {
    order,
    orderItem: item,
    product,
    driver: 'manual',
    position: 0,
    status: 'failed',
    subject: `held-${n}.example`,
    payloadSnapshot: {},
    lastError: 'Provider answered 503: upstream down',
  });
  em.create(FulfillmentStep, {
    record,
    name: 'create_vendor_order',
    position: 1,
    status: 'done',
    idempotencyKey: `${record.id}:create_vendor_order:0`,
    output: { vendorOrderId: `V-${n}` },
  });
  const account = em.create(InventoryItem, {
    pool,
    email: options.account ?? `held-${n}@outlook.test`,
    secretEncrypted: new SecretBox(parseEncryptionKeys(keys)).encrypt(`Pass-${n}!`),
    status: 'reserved',
    record,
    order,
    reservedDate: new Date(),
  });
  await em.flush();
  const batch = new WriteBatch();
  holdUnfinishedCompensation(
    batch,
    {
      recordId: record.id,
      orderId: order.id,
      orderCode: order.orderCode,
      driver: 'manual',
      subject: record.subject ?? null,
      network: null,
      phoneNumber: null,
      maxAttempts: 3,
    },
    [
      {
        step: 'create_vendor_order',
        position: 1,
        generation: 0,
        output: null,
        calls: [],
        error: 'deleteOrder answered 503',
        held: false,
      },
    ],
    { attempts: 1, delayMs: 60 * 60_000, now: new Date() },
  );
  await em.transactional((tem) => batch.execute(tem));
  return { order, record, account };
}
