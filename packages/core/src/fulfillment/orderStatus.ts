import { type FulfillmentStatus, Order, type OrderFulfillmentStatus } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { deriveOrderFulfillmentStatus } from './statuses';

export interface OrderStatusChange {
  orderId: string;
  previous: OrderFulfillmentStatus;
  current: OrderFulfillmentStatus;
}

/**
 * Locks the order row for the rest of the transaction. Every change to an order's records
 * takes this lock first, so two records finishing at once cannot both derive the order's
 * status from a stale view of each other.
 */
export async function lockOrder(em: EntityManager, orderId: string): Promise<void> {
  await em.execute('select id from orders where id = ? for update', [orderId]);
}

/** Recomputes orders.fulfillment_status from its records. Call with the order locked (see lockOrder). */
export async function refreshOrderFulfillmentStatus(
  em: EntityManager,
  orderId: string,
  now: Date,
): Promise<OrderStatusChange> {
  const rows = await em.execute<{ status: FulfillmentStatus; last_error: string | null; subject: string | null }[]>(
    'select status, last_error, subject from fulfillment_records where order_id = ? order by position, created_at',
    [orderId],
  );
  const [order] = await em.execute<{ fulfillment_status: OrderFulfillmentStatus }[]>(
    'select fulfillment_status from orders where id = ?',
    [orderId],
  );
  const previous = order?.fulfillment_status ?? 'pending';
  const current = deriveOrderFulfillmentStatus(rows.map((r) => r.status));
  if (current !== previous) {
    const failed = rows.find((r) => r.status === 'failed');
    const finished = current === 'completed' || current === 'active';
    await em.nativeUpdate(
      Order,
      { id: orderId },
      {
        fulfillmentStatus: current,
        fulfillmentError: failed
          ? `${failed.subject ? `${failed.subject}: ` : ''}${failed.last_error ?? 'failed'}`
          : null,
        ...(finished ? { completedAt: now } : {}),
        updatedAt: now,
      },
    );
  }
  return { orderId, previous, current };
}
