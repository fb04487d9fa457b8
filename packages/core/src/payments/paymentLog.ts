/**
 * Seed 003 §10's structured payment log: every line carries the gateway, the event id, the
 * order id and the payment id it is about (snake_case, as log queries spell them).
 */
export interface PaymentLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export const silentPaymentLogger: PaymentLogger = { info() {}, warn() {}, error() {} };

export interface PaymentLogSubject {
  gateway: string;
  eventId?: string | null;
  eventType?: string | null;
  orderId?: string | null;
  pendingOrderId?: string | null;
  paymentId?: string | null;
  refundId?: string | null;
  isTest?: boolean;
}

/** The fields of one payment log line. */
export function paymentLogFields(subject: PaymentLogSubject): Record<string, unknown> {
  return {
    gateway: subject.gateway,
    event_id: subject.eventId ?? null,
    ...(subject.eventType ? { event_type: subject.eventType } : {}),
    order_id: subject.orderId ?? null,
    payment_id: subject.paymentId ?? null,
    ...(subject.pendingOrderId ? { pending_order_id: subject.pendingOrderId } : {}),
    ...(subject.refundId ? { refund_id: subject.refundId } : {}),
    ...(subject.isTest ? { is_test: true } : {}),
  };
}
