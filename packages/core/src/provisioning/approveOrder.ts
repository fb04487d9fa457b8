import type { OrderStatus } from '@handover/contracts';
import { FulfillmentRecord, Order } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, recordActivity } from '../activity/activity';
import { ConflictError, NotFoundError } from '../errors';
import { enqueueFulfillment } from '../fulfillment/jobs';

export interface ApprovedOrder {
  orderId: string;
  orderCode: string;
  status: OrderStatus;
  /** Fulfillment records whose `fulfill` job was enqueued. */
  enqueuedRecordIds: string[];
}

/**
 * Seed 004 step 5: the operator approves an order waiting for review and provisioning starts.
 * The order becomes `approved` and each queued fulfillment record gets its job, in one transaction.
 */
export async function approveOrderForProvisioning(
  em: EntityManager,
  orderId: string,
  actor: Actor,
): Promise<ApprovedOrder> {
  return em.transactional(async (tem) => {
    const order = await tem.findOne(Order, orderId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!order) throw new NotFoundError(`No order with id ${orderId}.`);
    if (order.status !== 'pending_review') {
      throw new ConflictError(
        `Order ${order.orderCode} is ${order.status}, not pending review: it cannot be approved.`,
      );
    }
    order.status = 'approved';
    const records = await tem.find(
      FulfillmentRecord,
      { order: order.id, status: 'queued' },
      { orderBy: { position: 'asc' } },
    );
    for (const record of records) await enqueueFulfillment(tem, record.id);
    recordActivity(tem, {
      action: 'order.approved',
      subjectType: 'order',
      subjectId: order.id,
      actor,
      properties: { orderCode: order.orderCode, enqueuedRecords: records.length },
    });
    await tem.flush();
    return {
      orderId: order.id,
      orderCode: order.orderCode,
      status: order.status,
      enqueuedRecordIds: records.map((record) => record.id),
    };
  });
}
