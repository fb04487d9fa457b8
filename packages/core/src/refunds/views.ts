import type {
  PaymentGatewayName,
  PaymentPurpose,
  PaymentStatus,
  RefundDestination,
  RefundStatus,
} from '@handover/contracts';
import { Order, Payment, Refund } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../errors';

export interface RefundView {
  id: string;
  orderId: string;
  paymentId: string;
  gateway: PaymentGatewayName;
  gatewayRefundId: string | null;
  amountMinor: number;
  currency: string;
  destination: RefundDestination;
  status: RefundStatus;
  reason: string;
  cancelFulfillment: boolean;
  requestedBy: string | null;
  /** Who asked, for people to read; null for a refund made at the gateway itself. */
  requestedByEmail: string | null;
  lastError: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface PaymentView {
  id: string;
  gateway: PaymentGatewayName;
  gatewayPaymentId: string;
  purpose: PaymentPurpose;
  amountMinor: number;
  refundedMinor: number;
  currency: string;
  status: PaymentStatus;
  paidAt: Date;
}

/** An order's money, for the back office: what came in, what went back. Test orders took none. */
export interface OrderPayments {
  orderId: string;
  orderCode: string;
  isTest: boolean;
  status: Order['status'];
  amountMinor: number;
  refundedMinor: number;
  currency: string;
  payments: PaymentView[];
  refunds: RefundView[];
}

export function toRefundView(refund: Refund): RefundView {
  return {
    id: refund.id,
    orderId: refund.order.id,
    paymentId: refund.payment.id,
    gateway: refund.gateway,
    gatewayRefundId: refund.gatewayRefundId ?? null,
    amountMinor: refund.amountMinor,
    currency: refund.currency,
    destination: refund.destination,
    status: refund.status,
    reason: refund.reason,
    cancelFulfillment: refund.cancelFulfillment,
    requestedBy: refund.requestedBy?.id ?? null,
    requestedByEmail: refund.requestedBy?.email ?? null,
    lastError: refund.lastError ?? null,
    createdAt: refund.createdAt,
    completedAt: refund.completedAt ?? null,
  };
}

export async function getRefund(em: EntityManager, refundId: string): Promise<RefundView> {
  const refund = await em.findOne(Refund, { id: refundId }, { refresh: true, populate: ['requestedBy'] });
  if (!refund) throw new NotFoundError('No refund with this id.');
  return toRefundView(refund);
}

export async function getOrderPayments(em: EntityManager, orderId: string): Promise<OrderPayments> {
  const order = await em.findOne(Order, { id: orderId });
  if (!order) throw new NotFoundError('No order with this id.');
  const [payments, refunds] = await Promise.all([
    em.find(Payment, { order: orderId }, { orderBy: { paidAt: 'asc', id: 'asc' } }),
    em.find(Refund, { order: orderId }, { orderBy: { createdAt: 'asc', id: 'asc' }, populate: ['requestedBy'] }),
  ]);
  return {
    orderId: order.id,
    orderCode: order.orderCode,
    isTest: order.isTest,
    status: order.status,
    amountMinor: order.amountMinor,
    refundedMinor: order.refundedMinor,
    currency: order.currency,
    payments: payments.map((payment) => ({
      id: payment.id,
      gateway: payment.gateway,
      gatewayPaymentId: payment.gatewayPaymentId,
      purpose: payment.purpose,
      amountMinor: payment.amountMinor,
      refundedMinor: payment.refundedMinor,
      currency: payment.currency,
      status: payment.status,
      paidAt: payment.paidAt,
    })),
    refunds: refunds.map(toRefundView),
  };
}
