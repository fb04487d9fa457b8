import { FulfillmentRecord, type Order, type OrderItem, type Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '../errors';
import { enqueueFulfillment } from './jobs';
import { type DriverRegistry, fieldErrorsOf } from './registry';
import { DEFAULT_RETRY_POLICY } from './retryPolicy';

export interface RecordPlan {
  item: OrderItem;
  product: Product;
  /** For products activated on a date: the records wait in `scheduled` until then. */
  scheduledFor?: Date | null;
}

/**
 * One fulfillment record per order item, or per part of it when the driver splits the line
 * (one per domain, say). Inputs are checked against the driver's schema. With `start`, each
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
    const parts = adapter.split ? adapter.split(item.input) : [item.input];
    const policy = product.retryPolicy ?? adapter.retryPolicy ?? DEFAULT_RETRY_POLICY;
    for (const [position, part] of parts.entries()) {
      const parsed = adapter.inputSchema.safeParse(part);
      if (!parsed.success) {
        throw new ValidationError(
          `Order line ${line + 1} (${product.name}) is not valid`,
          fieldErrorsOf(parsed.error, `items.${line}.input`),
        );
      }
      const record = em.create(FulfillmentRecord, {
        order,
        orderItem: item,
        product,
        driver: adapter.driver,
        position,
        subject: adapter.describe?.(parsed.data).subject ?? null,
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
