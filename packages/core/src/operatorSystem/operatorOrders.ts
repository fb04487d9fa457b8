import { FulfillmentRecord, FulfillmentStep, OperatorOrder, Order } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, NotFoundError } from '../errors';

/**
 * Keeps which operator-system order stands for a Handover order (seed 004: Salesforce's Order
 * Id, sent with its Provision call), so the outcome can be written back to it. The same pair
 * again is a no-op; another operator order for the same Handover order is refused.
 */
export async function linkOperatorOrder(em: EntityManager, orderId: string, operatorOrderId: string): Promise<void> {
  const fork = em.fork();
  if (!(await fork.count(Order, { id: orderId }))) throw new NotFoundError(`No order with id ${orderId}.`);
  await fork.execute(
    `insert into operator_orders (order_id, operator_order_id) values (?, ?)
     on conflict do nothing`,
    [orderId, operatorOrderId],
  );
  const linked = await fork.findOne(OperatorOrder, { order: orderId }, { refresh: true });
  if (linked?.operatorOrderId !== operatorOrderId) {
    throw new ConflictError(
      linked
        ? `This order belongs to operator order ${linked.operatorOrderId}, not ${operatorOrderId}.`
        : `Operator order ${operatorOrderId} already belongs to another order.`,
    );
  }
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
