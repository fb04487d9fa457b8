import type { EntityManager } from '@mikro-orm/postgresql';

/** A service of one kind the customer already has: an order not cancelled, refunded or failed. */
export interface ExistingService {
  serviceKind: string;
  orderId: string;
  orderCode: string;
}

/**
 * The customer's services by kind (seed 004: "checks client services (active/pending/suspended)
 * for Internet"): orders awaiting review, approved or paid whose delivery did not fail or stop.
 * Newest first, one per kind.
 */
export async function findExistingServices(
  em: EntityManager,
  userId: string,
  kinds?: readonly string[],
): Promise<ExistingService[]> {
  if (kinds && kinds.length === 0) return [];
  const rows = await em.execute<{ service_kind: string; id: string; order_code: string }[]>(
    `select distinct on (service_kind) service_kind, id, order_code
       from orders
      where user_id = ? and service_kind is not null
        ${kinds ? `and service_kind in (${kinds.map(() => '?').join(', ')})` : ''}
        and status in ('pending_review', 'approved', 'paid', 'partially_refunded')
        and fulfillment_status not in ('failed', 'cancelled')
      order by service_kind, created_at desc`,
    [userId, ...(kinds ?? [])],
  );
  return rows.map((row) => ({ serviceKind: row.service_kind, orderId: row.id, orderCode: row.order_code }));
}

/** Where a customer manages the service an order delivered: its order page in the portal. */
export const manageServicePath = (orderCode: string): string => `/orders/${orderCode}`;
