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
  };
}
