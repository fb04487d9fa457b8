import { PendingOrder } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import { jobSpec } from '../jobs/addJob';
import type { NormalizedPaymentEvent } from './gateway';
import { deferred, type EventContext, type EventOutcome, ignored, isOurReference, processed } from './processing';

type Of<T extends NormalizedPaymentEvent['type']> = Extract<NormalizedPaymentEvent, { type: T }>;

async function lockPending(ctx: EventContext, pendingOrderId: string) {
  return ctx.em.findOne(PendingOrder, pendingOrderId, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/**
 * PayPal Orders v2: the buyer approved, the money moves when we capture. The capture is a call to
 * the gateway, so it runs in the worker after this commits (`capture_payment`); the capture's own
 * completion webhook then creates the order.
 */
export async function applyRequiresCapture(
  ctx: EventContext,
  event: Of<'payment.requires_capture'>,
): Promise<EventOutcome> {
  const refs = { pendingOrderId: event.pendingOrderId, paymentId: event.paymentId };
  if (!isOurReference(event.pendingOrderId)) return ignored('not a Handover checkout');
  const pending = await lockPending(ctx, event.pendingOrderId);
  if (!pending) return deferred('the pending order does not exist yet', refs);
  if (pending.status === 'paid') return ignored('the pending order is already paid', refs);
  ctx.batch.jobs([
    jobSpec('capture_payment', { gateway: event.gateway, paymentId: event.paymentId, pendingOrderId: pending.id }),
  ]);
  return processed({ ...refs, note: 'capture queued' });
}

/** A declined attempt: the gateway's page stays open for another, so the checkout only remembers why. */
export async function applyPaymentFailed(ctx: EventContext, event: Of<'payment.failed'>): Promise<EventOutcome> {
  const refs = { pendingOrderId: event.pendingOrderId };
  if (!isOurReference(event.pendingOrderId)) return ignored('not a Handover checkout');
  const pending = await lockPending(ctx, event.pendingOrderId);
  if (!pending) return deferred('the pending order does not exist yet', refs);
  if (pending.status !== 'pending_payment') return ignored(`the pending order is already ${pending.status}`, refs);
  pending.lastPaymentError = event.reason;
  return processed(refs);
}

/** The gateway closed its page unpaid. After a payment (events arrive out of order) it changes nothing. */
export async function applyCheckoutExpired(ctx: EventContext, event: Of<'checkout.expired'>): Promise<EventOutcome> {
  const refs = { pendingOrderId: event.pendingOrderId };
  if (!isOurReference(event.pendingOrderId)) return ignored('not a Handover checkout');
  const pending = await lockPending(ctx, event.pendingOrderId);
  if (!pending) return deferred('the pending order does not exist yet', refs);
  if (pending.status !== 'pending_payment') return ignored(`the pending order is already ${pending.status}`, refs);
  pending.status = 'expired';
  return processed(refs);
}
