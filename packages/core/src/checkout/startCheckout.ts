import { randomUUID } from 'node:crypto';
import type { CheckoutInput } from '@handover/contracts';
import { PendingOrder, type PendingOrderLine, User } from '@handover/db';
import { checkPaymentMethodGate } from '../billing/paymentMethodGate';
import { ValidationError } from '../errors';
import { applyServiceRules } from '../serviceRules/applyServiceRules';
import { priceCart } from './cart';
import { chooseGateway } from './gatewayChoice';
import { openGatewaySession } from './gatewaySession';
import type { CheckoutDeps, CheckoutNext, CheckoutStarted } from './settings';
import { purchaseWithWallet } from './walletPurchase';

/**
 * Seed 000 phase 1: the order form becomes a `pending_orders` row (`pending_payment`) and the
 * customer is sent to the gateway's page. A signed-in customer's order is theirs; a guest's goes
 * to the account of the email on the form, made when the payment arrives. Paid from the wallet,
 * the order is placed at once instead. Seed 004's rules are checked first, and a cart with
 * several services becomes one checkout per service (`next` lists the others, paid in turn).
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
  const { groups } = await applyServiceRules(em, cart, input, customer, deps.clock.now());
  await checkPaymentMethodGate({ em, registry: deps.registry, billing: deps.billing }, cart.products, customer);
  if (gateway === 'wallet') {
    if (cart.recurring) {
      throw new ValidationError('A subscription renews through a gateway; choose another way to pay.', {
        gateway: ['A subscription cannot be paid from the wallet.'],
      });
    }
    // An address captured for the profile is kept whatever the wallet says.
    await em.flush();
    const placed: CheckoutStarted[] = [];
    for (const lines of groups) {
      placed.push(
        await purchaseWithWallet(deps, { ...cart, lines, amountMinor: totalOf(lines) }, input, customer?.userId ?? ''),
      );
    }
    const [first, ...others] = placed as [CheckoutStarted, ...CheckoutStarted[]];
    return {
      ...first,
      next: others.map((other, index) =>
        nextOf(other.pendingOrderId, groups[index + 1] ?? [], cart.currency, other.orderCode),
      ),
    };
  }
  if (cart.amountMinor <= 0) throw new ValidationError('There is nothing to pay for this order.');

  const now = deps.clock.now();
  const groupId = groups.length > 1 ? randomUUID() : null;
  const pendings = groups.map((lines) =>
    em.create(PendingOrder, {
      user: customer ? em.getReference(User, customer.userId) : null,
      email: input.email,
      phone: input.phone,
      purpose: 'order',
      items: lines,
      amountMinor: totalOf(lines),
      currency: cart.currency,
      paymentGateway: gateway,
      groupId,
      expiresAt: new Date(now.getTime() + deps.settings.pendingOrderTtlMs),
      createdAt: now,
    }),
  );
  // Committed before the gateway is called, so its webhook always finds the pending order.
  await em.flush();
  const [first, ...others] = pendings as [PendingOrder, ...PendingOrder[]];
  const started = await openGatewaySession(deps, em, first, {
    lineItems: lineItemsOf(first.items),
    recurring: cart.recurring ?? undefined,
  });
  return { ...started, next: others.map((pending) => nextOf(pending.id, pending.items, pending.currency, null)) };
}

export const totalOf = (lines: readonly PendingOrderLine[]): number =>
  lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0);

export const lineItemsOf = (lines: readonly PendingOrderLine[]) =>
  lines.map((line) => ({ name: line.productName, quantity: line.quantity, unitAmountMinor: line.unitPriceMinor }));

function nextOf(
  pendingOrderId: string,
  lines: readonly PendingOrderLine[],
  currency: string,
  orderCode: string | null,
): CheckoutNext {
  return {
    pendingOrderId,
    productName: lines.map((line) => line.productName).join(', '),
    amountMinor: totalOf(lines),
    currency,
    orderCode,
  };
}
