import { type Order, type Payment, Refund } from '@handover/db';
import { type Actor, recordActivity, SYSTEM } from '../activity/activity';
import { TransientError } from '../errors';
import { lockOrder } from '../fulfillment/orderStatus';
import { enqueueRefundRetry } from '../payments/jobs';
import { paymentLogFields, silentPaymentLogger } from '../payments/paymentLog';
import type { PaymentDeps } from '../payments/processing';
import { markRefundSucceeded } from './completeRefund';

/** How long before the worker asks a gateway that did not answer again, unless the deps say. */
const REFUND_RETRY_AFTER_MS = 30_000;

/**
 * Sends a pending refund to its gateway, with the refund's id as the idempotency key (the same
 * on every try, so the gateway refunds once). A transient failure is left for the worker
 * (`retry_later`, the server's first try) or thrown for its job to retry (`throw`); a refusal, or
 * the worker's last try (`fail`), marks the refund failed.
 */
export async function submitGatewayRefund(
  deps: PaymentDeps,
  refundId: string,
  { onTransient }: { onTransient: 'retry_later' | 'throw' | 'fail' },
): Promise<void> {
  const logger = deps.logger ?? silentPaymentLogger;
  const em = deps.em.fork();
  const refund = await em.findOne(Refund, { id: refundId }, { populate: ['payment'] });
  if (refund?.status !== 'pending' || refund.gatewayRefundId) return;
  const payment = refund.payment as Payment;
  const log = paymentLogFields({
    gateway: refund.gateway,
    orderId: refund.order.id,
    paymentId: payment.gatewayPaymentId,
    refundId: refund.id,
  });
  const gateway = deps.gateways[refund.gateway];

  let result: { refundId: string; status: 'succeeded' | 'pending' | 'failed' };
  try {
    if (!gateway) throw new Error(`the ${refund.gateway} gateway is not configured on this process`);
    result = await gateway.refund({
      paymentId: payment.gatewayPaymentId,
      amountMinor: refund.amountMinor,
      currency: refund.currency,
      reason: refund.reason,
      idempotencyKey: `refund:${refund.id}`,
    });
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof TransientError && onTransient !== 'fail') {
      logger.warn({ ...log, err: error }, 'gateway did not answer the refund; it will be sent again');
      if (onTransient === 'throw') throw error;
      await em.transactional(async (tem) => {
        await tem.nativeUpdate(Refund, { id: refund.id }, { lastError: message });
        await enqueueRefundRetry(
          tem,
          refund.id,
          new Date(deps.clock.now().getTime() + (deps.refundRetryAfterMs ?? REFUND_RETRY_AFTER_MS)),
        );
      });
      return;
    }
    logger.error({ ...log, err: error }, 'refund refused');
    await em.transactional(async (tem) => {
      await lockOrder(tem, refund.order.id);
      await tem.nativeUpdate(Refund, { id: refund.id, status: 'pending' }, { status: 'failed', lastError: message });
      recordActivity(tem, {
        action: 'refund.failed',
        subjectType: 'order',
        subjectId: refund.order.id,
        actor: SYSTEM,
        description: message,
        properties: { refundId: refund.id },
      });
    });
    return;
  }

  await em.transactional(async (tem) => {
    await lockOrder(tem, refund.order.id);
    const fresh = await tem.findOneOrFail(Refund, { id: refund.id }, { refresh: true, populate: ['payment', 'order'] });
    if (fresh.status !== 'pending') return;
    fresh.gatewayRefundId = result.refundId;
    if (result.status === 'failed') {
      fresh.status = 'failed';
      fresh.lastError = `${refund.gateway} refused the refund`;
    } else if (result.status === 'succeeded') {
      const actor: Actor = fresh.requestedBy ? { type: 'user', id: fresh.requestedBy.id } : SYSTEM;
      await markRefundSucceeded(
        tem,
        deps.registry,
        { refund: fresh, payment: fresh.payment as Payment, order: fresh.order as Order },
        { now: deps.clock.now(), actor },
      );
    }
  });
  logger.info({ ...log, gateway_refund_id: result.refundId, status: result.status }, 'refund sent to the gateway');
}
