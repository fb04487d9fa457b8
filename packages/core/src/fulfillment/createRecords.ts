import { randomUUID } from 'node:crypto';
import type { FulfillmentStatus } from '@handover/contracts';
import { FulfillmentRecord, type Order, type OrderItem, type Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { addJob, jobSpec } from '../jobs/addJob';
import { parseOrderLine } from './orderLines';
import type { DriverRegistry } from './registry';
import { DEFAULT_RETRY_POLICY } from './retryPolicy';

export interface RecordPlan {
  item: OrderItem;
  product: Product;
  /** For products activated on a date: the records wait in `scheduled` until then. */
  scheduledFor?: Date | null;
}

/** What record planning reads of a product. */
export type PlannedProduct = Pick<Product, 'id' | 'name' | 'fulfillmentDriver' | 'retryPolicy'>;

/** One record to create: what the driver's split, schema, description and retry policy make of a line. */
export interface PlannedRecord {
  id: string;
  orderItemId: string;
  productId: string;
  driver: string;
  position: number;
  subject: string | null;
  status: Extract<FulfillmentStatus, 'queued' | 'scheduled'>;
  scheduledFor: Date | null;
  payloadSnapshot: Record<string, unknown>;
  maxAttempts: number;
}

/**
 * One fulfillment record per order item, or per part of it when the driver splits the line
 * (one per domain, say). Inputs are checked against the driver's schemas; a line that fails is
 * refused with its field errors.
 */
export function planFulfillmentRecords(
  registry: DriverRegistry,
  plans: { itemId: string; product: PlannedProduct; input: Record<string, unknown>; scheduledFor?: Date | null }[],
): PlannedRecord[] {
  const records: PlannedRecord[] = [];
  for (const [line, { itemId, product, input, scheduledFor }] of plans.entries()) {
    const adapter = registry.get(product.fulfillmentDriver);
    const { parts, inputs } = parseOrderLine(adapter, input, line, product.name);
    const policy = product.retryPolicy ?? adapter.retryPolicy ?? DEFAULT_RETRY_POLICY;
    for (const [position, part] of parts.entries()) {
      records.push({
        id: randomUUID(),
        orderItemId: itemId,
        productId: product.id,
        driver: adapter.driver,
        position,
        subject: adapter.describe?.(inputs[position]).subject ?? null,
        status: scheduledFor ? 'scheduled' : 'queued',
        scheduledFor: scheduledFor ?? null,
        payloadSnapshot: part,
        maxAttempts: policy.maxAttempts,
      });
    }
  }
  return records;
}

/**
 * Creates the planned records of an order's items. With `start`, each record's `fulfill` job is
 * enqueued in the same transaction; orders awaiting review are created without jobs and
 * started on approval.
 */
export async function createFulfillmentRecords(
  em: EntityManager,
  registry: DriverRegistry,
  order: Order,
  plans: RecordPlan[],
  { start }: { start: boolean },
): Promise<FulfillmentRecord[]> {
  const planned = planFulfillmentRecords(
    registry,
    plans.map(({ item, product, scheduledFor }) => ({ itemId: item.id, product, input: item.input, scheduledFor })),
  );
  const items = new Map(plans.map(({ item }) => [item.id, item]));
  const products = new Map(plans.map(({ product }) => [product.id, product]));
  const records: FulfillmentRecord[] = [];
  for (const plan of planned) {
    const record = em.create(FulfillmentRecord, {
      id: plan.id,
      order,
      orderItem: items.get(plan.orderItemId) as OrderItem,
      product: products.get(plan.productId) as Product,
      driver: plan.driver,
      position: plan.position,
      subject: plan.subject,
      status: plan.status,
      scheduledFor: plan.scheduledFor,
      payloadSnapshot: plan.payloadSnapshot,
      maxAttempts: plan.maxAttempts,
      isTest: order.isTest,
    });
    records.push(record);
    if (start)
      await addJob(
        em,
        jobSpec('fulfill', { recordId: record.id }, { runAt: plan.scheduledFor ?? undefined, newRow: true }),
      );
  }
  return records;
}
