import type { PendingOrderPurpose, PendingOrderStatus } from '@handover/contracts';
import { Order, PendingOrder } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../errors';

/** What the portal's confirmation page shows while it follows a payment until the order exists. */
export interface CheckoutStatus {
  pendingOrderId: string;
  status: PendingOrderStatus;
  purpose: PendingOrderPurpose;
  amountMinor: number;
  currency: string;
  gateway: string;
  expiresAt: Date;
  /** The gateway's reason for the last declined attempt, while the checkout is still open. */
  lastPaymentError: string | null;
  /** Once paid: the order to show (null for a wallet top-up). */
  orderCode: string | null;
  orderId: string | null;
  /** Seed 004: the other checkouts the same cart became (one service per order), each paid on its own. */
  siblings: {
    pendingOrderId: string;
    status: PendingOrderStatus;
    productName: string;
    amountMinor: number;
    currency: string;
    orderCode: string | null;
  }[];
}

/**
 * The state of one checkout. Its id is a random UUID known only to the customer who started it,
 * so it is readable without signing in (a guest follows their own payment).
 */
export async function getCheckoutStatus(em: EntityManager, pendingOrderId: string): Promise<CheckoutStatus> {
  const pending = await em.findOne(PendingOrder, { id: pendingOrderId });
  if (!pending) throw new NotFoundError('No checkout with this id.');
  const order =
    pending.status === 'paid' && pending.purpose === 'order'
      ? await em.findOne(Order, { pendingOrder: pending.id }, { fields: ['id', 'orderCode'] })
      : null;
  const siblings = pending.groupId
    ? await em.find(
        PendingOrder,
        { groupId: pending.groupId, id: { $ne: pending.id } },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      )
    : [];
  const siblingOrders = siblings.length
    ? await em.find(
        Order,
        { pendingOrder: { $in: siblings.map((s) => s.id) } },
        { fields: ['orderCode', 'pendingOrder'] },
      )
    : [];
  return {
    pendingOrderId: pending.id,
    status: pending.status,
    purpose: pending.purpose,
    amountMinor: pending.amountMinor,
    currency: pending.currency,
    gateway: pending.paymentGateway,
    expiresAt: pending.expiresAt,
    lastPaymentError: pending.status === 'pending_payment' ? (pending.lastPaymentError ?? null) : null,
    orderCode: order?.orderCode ?? null,
    orderId: order?.id ?? null,
    siblings: siblings.map((sibling) => ({
      pendingOrderId: sibling.id,
      status: sibling.status,
      productName: sibling.items.map((line) => line.productName).join(', '),
      amountMinor: sibling.amountMinor,
      currency: sibling.currency,
      orderCode: siblingOrders.find((o) => o.pendingOrder?.id === sibling.id)?.orderCode ?? null,
    })),
  };
}
