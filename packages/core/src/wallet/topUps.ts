import { activityLogRow, SYSTEM } from '../activity/activity';
import type { DomainEvent, ReactionContext } from '../events/domainEvents';
import { creditWallet } from './ledger';

/** `payment.received` for a wallet top-up: the wallet is credited once (its reference is the checkout). */
export async function creditPaidTopUp(event: DomainEvent, ctx: ReactionContext): Promise<void> {
  if (event.type !== 'payment.received' || event.checkout.purpose !== 'wallet_top_up') return;
  const { checkout, payment } = event;
  const entry = await creditWallet(ctx.em, {
    userId: checkout.userId,
    currency: checkout.currency,
    amountMinor: payment.amountMinor,
    reason: 'top_up',
    reference: `top_up:${checkout.pendingOrderId}`,
    description: `Top-up through ${payment.gateway}`,
  });
  ctx.batch.insert('activity_logs', [
    activityLogRow(
      {
        action: 'wallet.topped_up',
        subjectType: 'user',
        subjectId: checkout.userId,
        actor: SYSTEM,
        properties: { gateway: payment.gateway, paymentId: payment.gatewayPaymentId, amountMinor: payment.amountMinor },
      },
      ctx.now,
    ),
  ]);
  await ctx.raise({
    type: 'wallet.topped_up',
    userId: checkout.userId,
    pendingOrderId: checkout.pendingOrderId,
    amountMinor: payment.amountMinor,
    currency: checkout.currency,
    balanceAfterMinor: entry.balanceAfterMinor,
  });
}
