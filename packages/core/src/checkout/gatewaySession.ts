import { GATEWAY_LABELS } from '@handover/contracts';
import type { PendingOrder } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PermanentError, TransientError, ValidationError } from '../errors';
import type { CheckoutSessionInput } from '../payments/gateway';
import { paymentLogFields, silentPaymentLogger } from '../payments/paymentLog';
import { type CheckoutDeps, type CheckoutStarted, checkoutCancelUrl, checkoutReturnUrl } from './settings';

/**
 * Opens the gateway's hosted payment page for a committed pending order. The idempotency key is
 * the pending order's, so a retried call never opens a second session. A gateway that refuses
 * closes the pending order; one that does not answer leaves it to expire (TransientError).
 */
export async function openGatewaySession(
  deps: CheckoutDeps,
  em: EntityManager,
  pending: PendingOrder,
  order: Pick<CheckoutSessionInput, 'lineItems' | 'recurring'>,
): Promise<CheckoutStarted> {
  const logger = deps.logger ?? silentPaymentLogger;
  const gateway = deps.gateways[pending.paymentGateway];
  if (!gateway) throw new ValidationError(`${GATEWAY_LABELS[pending.paymentGateway]} is not available right now.`);
  const log = paymentLogFields({ gateway: gateway.name, pendingOrderId: pending.id });
  let session: Awaited<ReturnType<typeof gateway.createCheckoutSession>>;
  try {
    session = await gateway.createCheckoutSession({
      pendingOrderId: pending.id,
      customerEmail: pending.email,
      currency: pending.currency,
      amountMinor: pending.amountMinor,
      lineItems: order.lineItems,
      ...(order.recurring ? { recurring: order.recurring } : {}),
      successUrl: checkoutReturnUrl(deps.settings, pending.id),
      cancelUrl: checkoutCancelUrl(deps.settings, pending.id),
      idempotencyKey: `checkout:${pending.id}`,
    });
  } catch (error) {
    logger.warn({ ...log, err: error }, 'gateway did not open a checkout session');
    if (error instanceof TransientError) {
      // The pending order stays unpaid and expires; the customer simply tries again.
      throw new TransientError(
        `${GATEWAY_LABELS[pending.paymentGateway]} is not answering right now; try again in a minute.`,
        error.code,
        { cause: error },
      );
    }
    if (!(error instanceof PermanentError)) throw error;
    pending.status = 'cancelled';
    pending.lastPaymentError = error.message;
    await em.flush();
    const message = `${GATEWAY_LABELS[pending.paymentGateway]} refused this checkout: ${error.message}`;
    throw new ValidationError(message, { gateway: [message] });
  }
  pending.gatewaySessionId = session.sessionId;
  // The gateway's page decides when the checkout closes; ours follows it.
  if (session.expiresAt) pending.expiresAt = session.expiresAt;
  await em.flush();
  logger.info({ ...log, session_id: session.sessionId }, 'checkout session opened');
  return {
    pendingOrderId: pending.id,
    redirectUrl: session.redirectUrl,
    gateway: gateway.name,
    expiresAt: pending.expiresAt,
    orderCode: null,
  };
}
