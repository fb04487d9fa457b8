import type { CheckoutInput } from '@handover/contracts';
import { Order, Payment, PendingOrder, User } from '@handover/db';
import { recordActivity } from '../activity/activity';
import { WriteBatch } from '../database/writeBatch';
import { placeOrder } from '../orders/placeOrder';
import { paymentLogFields, silentPaymentLogger } from '../payments/paymentLog';
import { debitWallet } from '../wallet/ledger';
import type { PricedCart } from './cart';
import { type CheckoutDeps, type CheckoutStarted, orderPageUrl } from './settings';

/**
 * Seed 002: a purchase paid from the wallet. The debit, the order, its records and their jobs
 * commit together; a short balance refuses the purchase and changes nothing.
 */
export async function purchaseWithWallet(
  deps: CheckoutDeps,
  cart: PricedCart,
  input: CheckoutInput,
  userId: string,
): Promise<CheckoutStarted> {
  const now = deps.clock.now();
  const placed = await deps.em.fork().transactional(async (em) => {
    const user = em.getReference(User, userId);
    const pending = em.create(PendingOrder, {
      user,
      email: input.email,
      phone: input.phone,
      purpose: 'order',
      items: cart.lines,
      amountMinor: cart.amountMinor,
      currency: cart.currency,
      paymentGateway: 'wallet',
      status: 'paid',
      expiresAt: now,
      createdAt: now,
    });
    // The pending order and the order go in before the debit, whose ledger row points at the order.
    await em.flush();
    const batch = new WriteBatch();
    const placedOrder = await placeOrder(
      em,
      deps.registry,
      {
        userId,
        email: input.email,
        phone: input.phone,
        lines: cart.lines,
        amountMinor: cart.amountMinor,
        currency: cart.currency,
        pendingOrderId: pending.id,
        paymentGateway: 'wallet',
        paymentReference: null,
        isTest: false,
        paidAt: now,
      },
      batch,
      now,
    );
    await batch.execute(em);
    const entry = await debitWallet(em, {
      userId,
      currency: cart.currency,
      amountMinor: cart.amountMinor,
      reason: 'purchase',
      reference: `purchase:${placedOrder.orderId}`,
      orderId: placedOrder.orderId,
      description: `Order ${placedOrder.orderCode}`,
    });
    const order = em.getReference(Order, placedOrder.orderId);
    await em.nativeUpdate(Order, { id: placedOrder.orderId }, { paymentReference: entry.entryId });
    em.create(Payment, {
      order,
      user,
      gateway: 'wallet',
      gatewayPaymentId: entry.entryId,
      purpose: 'order',
      amountMinor: cart.amountMinor,
      currency: cart.currency,
      paidAt: now,
    });
    recordActivity(em, {
      action: 'order.paid',
      subjectType: 'order',
      subjectId: placedOrder.orderId,
      actor: { type: 'user', id: userId },
      properties: { gateway: 'wallet', paymentId: entry.entryId, amountMinor: cart.amountMinor },
    });
    return { pending, orderId: placedOrder.orderId, orderCode: placedOrder.orderCode, paymentId: entry.entryId };
  });
  (deps.logger ?? silentPaymentLogger).info(
    paymentLogFields({
      gateway: 'wallet',
      orderId: placed.orderId,
      paymentId: placed.paymentId,
      pendingOrderId: placed.pending.id,
    }),
    'order paid from the wallet',
  );
  return {
    pendingOrderId: placed.pending.id,
    redirectUrl: orderPageUrl(deps.settings, placed.orderCode),
    gateway: 'wallet',
    expiresAt: now,
    orderCode: placed.orderCode,
  };
}
