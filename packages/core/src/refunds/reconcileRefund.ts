import { type Order, Payment, Refund } from '@handover/db';
import { SYSTEM } from '../activity/activity';
import { raiseAlert } from '../alerts/alerts';
import { lockOrder } from '../fulfillment/orderStatus';
import type { NormalizedPaymentEvent } from '../payments/gateway';
import { deferred, type EventContext, type EventOutcome, ignored, processed } from '../payments/processing';
import { markRefundSucceeded } from './completeRefund';

type RefundSucceeded = Extract<NormalizedPaymentEvent, { type: 'refund.succeeded' }>;

/**
 * The gateway's word that a refund went through. Ours is found by its gateway id and completed
 * once; one made at the gateway itself (its dashboard) is recorded. While one of ours for the same
 * payment is still on its way (no gateway id yet), the event waits, so it is never counted twice.
 */
export async function applyRefundSucceeded(ctx: EventContext, event: RefundSucceeded): Promise<EventOutcome> {
  const { em } = ctx;
  const refs = { paymentId: event.paymentId, refundId: event.refundId };
  const findOurs = () =>
    em.findOne(Refund, { gateway: event.gateway, gatewayRefundId: event.refundId }, { fields: ['id', 'order'] });
  const found = await findOurs();
  const payment = found
    ? null
    : await em.findOne(
        Payment,
        { gateway: event.gateway, gatewayPaymentId: event.paymentId },
        { fields: ['id', 'order'] },
      );
  if (!found && !payment) return deferred('no payment with this id is known yet', refs);
  const orderId = found?.order.id ?? payment?.order?.id;
  if (!orderId) {
    await raiseAlert(em, {
      type: 'refund_unmatched',
      severity: 'warning',
      message: `${event.gateway} refunded ${event.amountMinor} ${event.currency} of wallet top-up ${event.paymentId}: adjust the wallet by hand.`,
      data: refs,
    });
    return ignored('a refund of a wallet top-up', refs);
  }
  await lockOrder(em, orderId);
  // Gateways tell of one refund in several events at once: the one that took the lock first may
  // have recorded it while this one waited, so look again now that no other can.
  const ours = found ?? (await findOurs());

  if (ours) {
    const refund = await em.findOneOrFail(Refund, { id: ours.id }, { refresh: true, populate: ['payment', 'order'] });
    if (refund.status === 'succeeded') return ignored('this refund is already recorded', { ...refs, orderId });
    await markRefundSucceeded(
      em,
      ctx.registry,
      { refund, payment: refund.payment as Payment, order: refund.order as Order },
      { now: ctx.now, actor: SYSTEM },
    );
    return processed({ ...refs, orderId });
  }

  const inFlight = await em.count(Refund, { order: orderId, status: 'pending', gatewayRefundId: null });
  if (inFlight > 0) return deferred('a refund of this order is still being sent to the gateway', { ...refs, orderId });
  const locked = await em.findOneOrFail(Payment, { id: payment?.id }, { refresh: true, populate: ['order'] });
  const order = locked.order as Order;
  const refund = em.create(Refund, {
    order,
    payment: locked,
    gateway: event.gateway,
    gatewayRefundId: event.refundId,
    amountMinor: event.amountMinor,
    currency: event.currency.toUpperCase(),
    destination: 'gateway',
    reason: `Refunded at ${event.gateway}`,
    createdAt: ctx.now,
  });
  await markRefundSucceeded(em, ctx.registry, { refund, payment: locked, order }, { now: ctx.now, actor: SYSTEM });
  return processed({ ...refs, orderId });
}
