import type { OrderFulfillmentStatus } from '@handover/contracts';
import { FulfillmentRecord, FulfillmentStep, OperatorOrder, type Order } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, NotFoundError } from '../errors';
import { queueWriteBackOfSettledOrder } from './writeBack';

/**
 * Keeps which operator-system order stands for a Handover order (seed 004: Salesforce's Order
 * Id, sent with its Provision call), so the outcome can be written back to it. The same pair
 * again is a no-op; another operator order for the same Handover order is refused.
 *
 * An order that has already settled when its Order is first linked (ops approved it in the back
 * office, or it finished, before the checkout's message landed) gets its write-back here, in the
 * linking transaction: the settling transaction's write-back found no link, so this is the only
 * one, and it commits with the link or not at all.
 *
 * The race (the order settles while the link is written) is closed by the order's row lock, not
 * by one statement reading both: writeTransition takes `select ... from orders ... for update`
 * before it changes an order's fulfillment, and writes the write-back later, in a statement
 * that reads operator_orders with a snapshot taken after it got the lock. Locking the same row
 * here before inserting the link puts the two transactions one after the other: if the link goes
 * first, the settling statement (read committed, a fresh snapshot) sees it and writes the
 * write-back; if the settling goes first, this lock waits for it and then reads the settled
 * status (a locking read returns the row's newest committed version), so this writes it. Either
 * way exactly one. Reading the status without the lock would not do, even in the statement that
 * inserts the link: under read committed each transaction could miss the other's uncommitted
 * row, and neither would write the write-back.
 */
export async function linkOperatorOrder(
  em: EntityManager,
  orderId: string,
  operatorOrderId: string,
  now: Date = new Date(),
): Promise<{ writeBackId: string | null }> {
  return em.fork().transactional(async (tem) => {
    const [order] = await tem.execute<{ order_code: string; fulfillment_status: OrderFulfillmentStatus }[]>(
      'select order_code, fulfillment_status from orders where id = ? for update',
      [orderId],
    );
    if (!order) throw new NotFoundError(`No order with id ${orderId}.`);
    const inserted = await tem.execute<{ order_id: string }[]>(
      `insert into operator_orders (order_id, operator_order_id) values (?, ?)
       on conflict do nothing returning order_id`,
      [orderId, operatorOrderId],
    );
    if (inserted.length === 0) {
      const [linked] = await tem.execute<{ operator_order_id: string }[]>(
        'select operator_order_id from operator_orders where order_id = ?',
        [orderId],
      );
      if (linked?.operator_order_id === operatorOrderId) return { writeBackId: null };
      throw new ConflictError(
        linked
          ? `This order belongs to operator order ${linked.operator_order_id}, not ${operatorOrderId}.`
          : `Operator order ${operatorOrderId} already belongs to another order.`,
      );
    }
    const writeBackId = await queueWriteBackOfSettledOrder(
      tem,
      { orderId, orderCode: order.order_code, operatorOrderId, fulfillmentStatus: order.fulfillment_status },
      now,
    );
    return { writeBackId };
  });
}

/** What the write-back tells the operator system of one record. */
export interface WriteBackRecord {
  id: string;
  driver: string;
  status: string;
  externalReferenceId: string | null;
  externalCustomerId: string | null;
  lastErrorCode: string | null;
  lastError: string | null;
  /** The done steps' outputs, by step name (the billing ids). */
  outputs: Record<string, Record<string, unknown>>;
}

export interface WriteBackFacts {
  orderId: string;
  orderCode: string;
  operatorOrderId: string;
  fulfillmentStatus: string;
  records: WriteBackRecord[];
}

/**
 * The order as it stands now, for its write-back: the sender reads it when it sends, so a
 * message retried for hours still writes the latest outcome. Null when the order has no operator
 * order.
 */
export async function loadWriteBackFacts(em: EntityManager, orderId: string): Promise<WriteBackFacts | null> {
  const fork = em.fork();
  const link = await fork.findOne(OperatorOrder, { order: orderId }, { populate: ['order'] });
  if (!link) return null;
  const order = link.order as Order;
  const records = await fork.find(FulfillmentRecord, { order: orderId }, { orderBy: { position: 'asc' } });
  const steps = await fork.find(FulfillmentStep, {
    record: { $in: records.map((r) => r.id) },
    status: 'done',
  });
  return {
    orderId,
    orderCode: order.orderCode,
    operatorOrderId: link.operatorOrderId,
    fulfillmentStatus: order.fulfillmentStatus,
    records: records.map((record) => ({
      id: record.id,
      driver: record.driver,
      status: record.status,
      externalReferenceId: record.externalReferenceId ?? null,
      externalCustomerId: record.externalCustomerId ?? null,
      lastErrorCode: record.lastErrorCode ?? null,
      lastError: record.lastError ?? null,
      outputs: Object.fromEntries(
        steps.filter((step) => step.record.id === record.id).map((step) => [step.name, step.output ?? {}]),
      ),
    })),
  };
}

/** The operator-system order of a Handover order, when an operator system named one. */
export async function findOperatorOrderId(em: EntityManager, orderId: string): Promise<string | null> {
  const link = await em.fork().findOne(OperatorOrder, { order: orderId });
  return link?.operatorOrderId ?? null;
}
