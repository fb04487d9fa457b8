import type { PaymentGatewayName } from '@handover/contracts';
import { PendingOrder } from '@handover/db';
import { raiseAlert } from '../alerts/alerts';
import { PermanentError } from '../errors';
import { paymentLogFields, silentPaymentLogger } from './paymentLog';
import type { PaymentDeps } from './processing';

export interface CaptureRequest {
  gateway: PaymentGatewayName;
  /** The gateway's id of the approved payment (PayPal's order id). */
  paymentId: string;
  pendingOrderId: string;
}

/**
 * The worker's `capture_payment`: takes the money of an approved payment (PayPal Orders v2). The
 * idempotency key comes from the gateway's order id, so a retried capture takes it once; the
 * capture's completion webhook then creates the order. A transient failure is thrown for the job
 * to retry; a refusal is remembered on the checkout and alerted.
 */
export async function capturePayment(deps: PaymentDeps, request: CaptureRequest): Promise<void> {
  const logger = deps.logger ?? silentPaymentLogger;
  const log = paymentLogFields({
    gateway: request.gateway,
    paymentId: request.paymentId,
    pendingOrderId: request.pendingOrderId,
  });
  const gateway = deps.gateways[request.gateway];
  if (!gateway?.capture) throw new Error(`the ${request.gateway} gateway cannot capture on this process`);
  try {
    const captured = await gateway.capture(request.paymentId, `capture:${request.paymentId}`);
    logger.info({ ...log, capture_id: captured.paymentId, status: captured.status }, 'payment captured');
  } catch (error) {
    if (!(error instanceof PermanentError)) throw error;
    logger.error({ ...log, err: error }, 'capture refused');
    await deps.em.fork().transactional(async (em) => {
      await em.nativeUpdate(
        PendingOrder,
        { id: request.pendingOrderId, status: 'pending_payment' },
        { lastPaymentError: error.message },
      );
      await raiseAlert(em, {
        type: 'capture_failure',
        severity: 'warning',
        message: `${request.gateway} refused to capture ${request.paymentId} for checkout ${request.pendingOrderId}: ${error.message}`,
        subjectType: 'pending_order',
        subjectId: request.pendingOrderId,
      });
    });
  }
}
