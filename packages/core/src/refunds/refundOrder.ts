import type { RefundOrderInput } from '@handover/contracts';
import { GATEWAY_LABELS } from '@handover/contracts';
import { Order, Payment, Refund, User } from '@handover/db';
import { type Actor, recordActivity } from '../activity/activity';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { lockOrder } from '../fulfillment/orderStatus';
import { formatMoney } from '../money';
import type { PaymentDeps } from '../payments/processing';
import { markRefundSucceeded } from './completeRefund';
import { submitGatewayRefund } from './submitRefund';
import { getRefund, type RefundView } from './views';

/**
 * A staff refund of (part of) an order's payment. The refund row commits first; a wallet refund
 * completes in that transaction, a gateway refund is then sent with the refund's id as its
 * idempotency key, and its amounts move when the gateway says it succeeded (at once, or by its
 * webhook). A gateway that does not answer gets the same request again from the worker.
 */
export async function refundOrder(
  deps: PaymentDeps,
  input: RefundOrderInput,
  actor: Actor & { type: 'user' },
): Promise<RefundView> {
  const now = deps.clock.now();
  const refund = await deps.em.fork().transactional(async (em) => {
    await lockOrder(em, input.orderId);
    const order = await em.findOne(Order, { id: input.orderId });
    if (!order) throw new NotFoundError('No order with this id.');
    if (order.isTest) throw new ValidationError('A test order took no payment: there is nothing to refund.');
    const payments = await em.find(Payment, { order: order.id }, { orderBy: { paidAt: 'desc', id: 'asc' } });
    const inFlight = await em.find(Refund, { order: order.id, status: 'pending' });
    const left = (payment: Payment) =>
      payment.amountMinor -
      payment.refundedMinor -
      inFlight.filter((r) => r.payment.id === payment.id).reduce((sum, r) => sum + r.amountMinor, 0);

    const payment = input.paymentId
      ? payments.find((p) => p.id === input.paymentId)
      : payments.find((p) => left(p) > 0);
    if (!payment) {
      throw new ValidationError(
        input.paymentId
          ? 'That payment does not belong to this order.'
          : 'Everything paid for this order is refunded or being refunded.',
      );
    }
    const available = left(payment);
    const amountMinor = input.amountMinor ?? available;
    if (amountMinor > available || amountMinor <= 0) {
      const message = `At most ${formatMoney(Math.max(available, 0), payment.currency)} can be refunded from this payment.`;
      throw new ValidationError(message, { amountMinor: [message] });
    }
    const destination = payment.gateway === 'wallet' || input.toWallet ? 'wallet' : 'gateway';
    if (destination === 'gateway' && !deps.gateways[payment.gateway]) {
      throw new ConflictError(
        `${GATEWAY_LABELS[payment.gateway]} is not configured on this server; refund to the wallet instead.`,
      );
    }
    const leftOnOrder = payments.reduce((sum, p) => sum + left(p), 0) - amountMinor;
    const created = em.create(Refund, {
      order,
      payment,
      gateway: payment.gateway,
      amountMinor,
      currency: payment.currency,
      destination,
      reason: input.reason,
      cancelFulfillment: input.cancelFulfillment ?? leftOnOrder === 0,
      requestedBy: em.getReference(User, actor.id),
      createdAt: now,
    });
    recordActivity(em, {
      action: 'refund.requested',
      subjectType: 'order',
      subjectId: order.id,
      actor,
      description: input.reason,
      properties: { refundId: created.id, amountMinor, destination, paymentId: payment.id },
    });
    if (destination === 'wallet') {
      await markRefundSucceeded(em, deps.registry, { refund: created, payment, order }, { now, actor });
    }
    return created;
  });
  if (refund.destination === 'gateway') await submitGatewayRefund(deps, refund.id, { onTransient: 'retry_later' });
  return getRefund(deps.em.fork(), refund.id);
}
