import type { CheckoutInput } from '@handover/contracts';
import { PendingOrder, User } from '@handover/db';
import { ValidationError } from '../errors';
import { priceCart } from './cart';
import { chooseGateway } from './gatewayChoice';
import { openGatewaySession } from './gatewaySession';
import type { CheckoutDeps, CheckoutStarted } from './settings';
import { purchaseWithWallet } from './walletPurchase';

/**
 * Seed 000 phase 1: the order form becomes a `pending_orders` row (`pending_payment`) and the
 * customer is sent to the gateway's page. A signed-in customer's order is theirs; a guest's goes
 * to the account of the email on the form, made when the payment arrives. Paid from the wallet,
 * the order is placed at once instead.
 */
export async function startCheckout(
  deps: CheckoutDeps,
  input: CheckoutInput,
  customer: { userId: string } | null,
): Promise<CheckoutStarted> {
  const em = deps.em.fork();
  const cart = await priceCart(em, deps.registry, input.items);
  const gateway = chooseGateway(cart.products, input.gateway, (name) =>
    name === 'wallet' ? customer !== null : deps.gateways[name] !== undefined,
  );
  if (gateway === 'wallet') {
    if (cart.recurring) {
      throw new ValidationError('A subscription renews through a gateway; choose another way to pay.', {
        gateway: ['A subscription cannot be paid from the wallet.'],
      });
    }
    return purchaseWithWallet(deps, cart, input, customer?.userId ?? '');
  }
  if (cart.amountMinor <= 0) throw new ValidationError('There is nothing to pay for this order.');

  const now = deps.clock.now();
  const pending = em.create(PendingOrder, {
    user: customer ? em.getReference(User, customer.userId) : null,
    email: input.email,
    phone: input.phone,
    purpose: 'order',
    items: cart.lines,
    amountMinor: cart.amountMinor,
    currency: cart.currency,
    paymentGateway: gateway,
    expiresAt: new Date(now.getTime() + deps.settings.pendingOrderTtlMs),
    createdAt: now,
  });
  // Committed before the gateway is called, so its webhook always finds the pending order.
  await em.flush();
  return openGatewaySession(deps, em, pending, {
    lineItems: cart.lines.map((line) => ({
      name: line.productName,
      quantity: line.quantity,
      unitAmountMinor: line.unitPriceMinor,
    })),
    recurring: cart.recurring ?? undefined,
  });
}
