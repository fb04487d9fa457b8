import { PendingOrder } from '@handover/db';
import { ConflictError, NotFoundError } from '../errors';
import { openGatewaySession } from './gatewaySession';
import type { CheckoutDeps, CheckoutStarted } from './settings';
import { lineItemsOf } from './startCheckout';

/**
 * Seed 004, one service per order: the payment page for another checkout the same cart became.
 * Its id is known only to whoever started the cart (as `checkout.status` reads it); a signed-in
 * customer can only continue their own. The gateway's session is keyed by the checkout, so asking
 * twice opens one.
 */
export async function continueSplitCheckout(
  deps: CheckoutDeps,
  pendingOrderId: string,
  customer: { userId: string } | null,
): Promise<CheckoutStarted> {
  const em = deps.em.fork();
  const pending = await em.findOne(PendingOrder, pendingOrderId);
  const notYours = pending?.user && customer && pending.user.id !== customer.userId;
  if (!pending?.groupId || notYours) throw new NotFoundError('No checkout with this id.');
  if (pending.status !== 'pending_payment' || pending.expiresAt <= deps.clock.now()) {
    throw new ConflictError(
      pending.status === 'paid'
        ? 'This part of your order is paid already.'
        : 'This part of your order is no longer open for payment; order it again.',
    );
  }
  return openGatewaySession(deps, em, pending, { lineItems: lineItemsOf(pending.items) });
}
