import { FulfillmentRecord, Order, Payment, Refund, User } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import { type Actor, activityLogRow, recordActivity } from '../activity/activity';
import { ormSql } from '../database/sql';
import { WriteBatch } from '../database/writeBatch';
import { ConflictError, NotFoundError } from '../errors';
import { publish } from '../events/publish';
import { isTerminal } from '../fulfillment/statuses';
import { loadRecordFacts, writeTransition } from '../fulfillment/transitions';
import type { PaymentDeps } from '../payments/processing';
import { markRefundSucceeded } from '../refunds/completeRefund';
import { submitGatewayRefund } from '../refunds/submitRefund';
import { getRefund, type RefundView } from '../refunds/views';
import { orderFacts } from './facts';

export interface RejectedOrder {
  orderId: string;
  orderCode: string;
  /** The refunds of what was paid: done at once to a wallet, sent to the gateway otherwise. */
  refunds: RefundView[];
}

export interface RejectOptions {
  /** Why, in words the customer reads. */
  reason: string;
  /** Who decided, as people read it. */
  decidedBy?: string;
  portalUrl?: string;
}

/**
 * Seed 004: the operator rejects an order waiting for review. In one transaction, with the order
 * locked: its records are cancelled (nothing was started), the order is `cancelled` with the
 * decision, its operator and reason, everything paid gets a refund (a wallet payment's completes
 * at once; a gateway's is sent after the commit, with its id as the idempotency key, and retried
 * by the worker if the gateway does not answer), and the customer is told why.
 */
export async function rejectOrder(
  deps: PaymentDeps,
  orderId: string,
  actor: Actor,
  options: RejectOptions,
): Promise<RejectedOrder> {
  const now = deps.clock.now();
  const portalUrl = options.portalUrl ?? '';
  const decidedBy = options.decidedBy ?? (actor.type === 'system' ? 'system' : actor.id);
  const { order, refundIds, toGateway } = await deps.em.fork().transactional(async (tem) => {
    const found = await tem.findOne(Order, orderId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!found) throw new NotFoundError(`No order with id ${orderId}.`);
    if (found.status !== 'pending_review') {
      throw new ConflictError(
        `Order ${found.orderCode} is ${found.status.replaceAll('_', ' ')}, not pending review: it cannot be rejected.`,
      );
    }
    const sql = ormSql(tem);
    const records = await tem.find(FulfillmentRecord, { order: found.id }, { fields: ['id', 'status'] });
    for (const { id, status } of records) {
      if (isTerminal(status)) continue;
      const record = await loadRecordFacts(sql, id);
      await writeTransition(sql, {
        record,
        from: record.status,
        to: 'cancelled',
        by: 'operator',
        actor,
        action: 'fulfillment.cancelled',
        reason: 'Not approved',
        changes: { nextAttemptAt: null },
        now,
        portalUrl,
      });
    }
    found.status = 'cancelled';
    found.reviewDecision = 'rejected';
    found.reviewedAt = now;
    found.reviewedBy = decidedBy;
    found.reviewReason = options.reason;

    const payments = await tem.find(Payment, { order: found.id });
    const pending = await tem.find(Refund, { order: found.id, status: 'pending' });
    const refunds: { refund: Refund; payment: Payment }[] = [];
    for (const payment of payments) {
      const left =
        payment.amountMinor -
        payment.refundedMinor -
        pending.filter((r) => r.payment.id === payment.id).reduce((sum, r) => sum + r.amountMinor, 0);
      if (left <= 0) continue;
      // A gateway this server cannot reach refunds to the customer's wallet instead: the money goes back either way.
      const destination = payment.gateway === 'wallet' || !deps.gateways[payment.gateway] ? 'wallet' : 'gateway';
      const refund = tem.create(Refund, {
        order: found,
        payment,
        gateway: payment.gateway,
        amountMinor: left,
        currency: payment.currency,
        destination,
        reason: `Order not approved: ${options.reason}`,
        cancelFulfillment: false,
        requestedBy: actor.type === 'user' ? tem.getReference(User, actor.id) : null,
        createdAt: now,
      });
      recordActivity(tem, {
        action: 'refund.requested',
        subjectType: 'order',
        subjectId: found.id,
        actor,
        description: refund.reason,
        properties: { refundId: refund.id, amountMinor: left, destination, paymentId: payment.id },
      });
      refunds.push({ refund, payment });
    }
    await tem.flush();

    const total = refunds.reduce((sum, { refund }) => sum + refund.amountMinor, 0);
    const batch = new WriteBatch().insert('activity_logs', [
      activityLogRow(
        {
          action: 'order.rejected',
          subjectType: 'order',
          subjectId: found.id,
          actor,
          description: `Rejected by ${decidedBy}: ${options.reason}`,
          properties: { orderCode: found.orderCode, decidedBy, reason: options.reason, refundedMinor: total },
        },
        now,
      ),
    ]);
    publish(
      batch,
      [
        {
          type: 'order.review_decided',
          order: orderFacts(found),
          decision: 'rejected',
          reason: options.reason,
          activation: null,
          refund: total > 0 ? { amountMinor: total, currency: found.currency } : null,
        },
      ],
      { portalUrl, now },
    );
    await batch.execute(tem);
    for (const { refund, payment } of refunds) {
      if (refund.destination === 'wallet') {
        await markRefundSucceeded(tem, deps.registry, { refund, payment, order: found }, { now, actor });
      }
    }
    return {
      order: found,
      refundIds: refunds.map(({ refund }) => refund.id),
      toGateway: refunds.filter(({ refund }) => refund.destination === 'gateway').map(({ refund }) => refund.id),
    };
  });
  for (const id of toGateway) await submitGatewayRefund(deps, id, { onTransient: 'retry_later' });
  const em = deps.em.fork();
  return {
    orderId: order.id,
    orderCode: order.orderCode,
    refunds: await Promise.all(refundIds.map((id) => getRefund(em, id))),
  };
}
