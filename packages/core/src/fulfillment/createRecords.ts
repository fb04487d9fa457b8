import { FulfillmentRecord, type Order, type OrderItem, type Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueueFulfillment } from './jobs';
import { parseOrderLine } from './orderLines';
import type { DriverRegistry } from './registry';
import { DEFAULT_RETRY_POLICY } from './retryPolicy';

export interface RecordPlan {
  item: OrderItem;
  product: Product;
  /** For products activated on a date: the records wait in `scheduled` until then. */
  scheduledFor?: Date | null;
}

/**
 * One fulfillment record per order item, or per part of it when the driver splits the line
 * (one per domain, say). Inputs are checked against the driver's schemas. With `start`, each
 * record's `fulfill` job is enqueued in the same transaction; orders awaiting review are
 * created without jobs and started on approval.
 */
export async function createFulfillmentRecords(
  em: EntityManager,
  registry: DriverRegistry,
  order: Order,
  plans: RecordPlan[],
  { start }: { start: boolean },
): Promise<FulfillmentRecord[]> {
  const records: FulfillmentRecord[] = [];
  for (const [line, { item, product, scheduledFor }] of plans.entries()) {
    const adapter = registry.get(product.fulfillmentDriver);
    const { parts, inputs } = parseOrderLine(adapter, item.input, line, product.name);
    const policy = product.retryPolicy ?? adapter.retryPolicy ?? DEFAULT_RETRY_POLICY;
    for (const [position, part] of parts.entries()) {
      const record = em.create(FulfillmentRecord, {
        order,
        orderItem: item,
        product,
        driver: adapter.driver,
        position,
        subject: adapter.describe?.(inputs[position]).subject ?? null,
        status: scheduledFor ? 'scheduled' : 'queued',
        scheduledFor: scheduledFor ?? null,
        payloadSnapshot: part,
        maxAttempts: policy.maxAttempts,
        isTest: order.isTest,
      });
      records.push(record);
      if (start) await enqueueFulfillment(em, record.id, scheduledFor ?? undefined);
    }
  }
  return records;
}
