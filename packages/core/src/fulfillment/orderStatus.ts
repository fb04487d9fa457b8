import type { FulfillmentStatus, OrderFulfillmentStatus } from '@handover/contracts';
import { Order } from '@handover/db';
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
  // The order's status now and its records, in one round trip (an order without records gives
  // one row of nulls).
  const joined = await em.execute<
    {
      fulfillment_status: OrderFulfillmentStatus;
      status: FulfillmentStatus | null;
      last_error: string | null;
      subject: string | null;
    }[]
  >(
    `select o.fulfillment_status, r.status, r.last_error, r.subject
       from orders o left join fulfillment_records r on r.order_id = o.id
      where o.id = ? order by r.position, r.created_at`,
    [orderId],
  );
  const previous = joined[0]?.fulfillment_status ?? 'pending';
  const rows = joined.filter((r): r is typeof r & { status: FulfillmentStatus } => r.status !== null);
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
