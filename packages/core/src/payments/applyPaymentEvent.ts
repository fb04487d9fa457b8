import { applyRefundSucceeded } from '../refunds/reconcileRefund';
import { applySubscriptionPaymentFailed } from '../subscriptions/renewalFailures';
import { applyCheckoutExpired, applyPaymentFailed, applyRequiresCapture } from './checkoutEvents';
import type { NormalizedPaymentEvent } from './gateway';
import { applyPaymentSucceeded, type ClaimedCheckout } from './paymentReceived';
import { type EventContext, type EventOutcome, ignored } from './processing';
import { applySubscriptionCancelled, applySubscriptionRenewed } from './subscriptionEvents';

/**
 * The payment state machine: what a verified event does, in the inbox's transaction. Each
 * handler locks what it changes and re-reads it, so an event that arrives late (an expiry after
 * the payment, a second success) finds the newer state and changes nothing; one that arrives
 * before what it refers to is deferred, never dropped.
 */
export function applyPaymentEvent(
  ctx: EventContext,
  event: NormalizedPaymentEvent,
  /** For a payment.succeeded, what the inbox's claim read already. */
  claimed?: ClaimedCheckout,
): Promise<EventOutcome> {
  switch (event.type) {
    case 'payment.succeeded':
      return applyPaymentSucceeded(ctx, event, claimed);
    case 'payment.requires_capture':
      return applyRequiresCapture(ctx, event);
    case 'payment.failed':
      return applyPaymentFailed(ctx, event);
    case 'checkout.expired':
      return applyCheckoutExpired(ctx, event);
    case 'refund.succeeded':
      return applyRefundSucceeded(ctx, event);
    case 'subscription.renewed':
      return applySubscriptionRenewed(ctx, event);
    case 'subscription.cancelled':
      return applySubscriptionCancelled(ctx, event);
    case 'subscription.payment_failed':
      return applySubscriptionPaymentFailed(ctx, event);
    case 'ignored':
      return Promise.resolve(ignored(`${event.gatewayType} is not used by Handover`));
  }
}
