import type { WalletTopUpInput } from '@handover/contracts';
import { GATEWAY_LABELS } from '@handover/contracts';
import { PendingOrder, User } from '@handover/db';
import { openGatewaySession } from '../checkout/gatewaySession';
import type { CheckoutDeps, CheckoutStarted } from '../checkout/settings';
import { ValidationError } from '../errors';

/**
 * Seed 002's wallet, filled through any configured gateway: a pending order for the amount,
 * paid on the gateway's page; its payment webhook credits the wallet.
 */
export async function startWalletTopUp(
  deps: CheckoutDeps,
  input: WalletTopUpInput,
  customer: { userId: string; email: string },
): Promise<CheckoutStarted> {
  if (!deps.gateways[input.gateway]) {
    const message = `${GATEWAY_LABELS[input.gateway]} is not available right now; choose another way to pay.`;
    throw new ValidationError(message, { gateway: [message] });
  }
  const em = deps.em.fork();
  const now = deps.clock.now();
  const pending = em.create(PendingOrder, {
    user: em.getReference(User, customer.userId),
    email: customer.email,
    purpose: 'wallet_top_up',
    items: [],
    amountMinor: input.amountMinor,
    currency: input.currency,
    paymentGateway: input.gateway,
    expiresAt: new Date(now.getTime() + deps.settings.pendingOrderTtlMs),
    createdAt: now,
  });
  await em.flush();
  return openGatewaySession(deps, em, pending, {
    lineItems: [{ name: 'Wallet top-up', quantity: 1, unitAmountMinor: input.amountMinor }],
  });
}
