import { randomUUID } from 'node:crypto';
import type { OrderFulfillmentStatus } from '@handover/contracts';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Listener } from '../events/domainEvents';
import { addJob, addJobCall, jobSpec } from '../jobs/addJob';

/** The outbox template of a write-back; the operator-system sender knows it. */
export const OPERATOR_WRITEBACK_TEMPLATE = 'operator_writeback';

/** An order's outcome the operator system learns: provisioned, or failed. */
const OUTCOMES: Partial<Record<OrderFulfillmentStatus, 'provisioned' | 'failed'>> = {
  completed: 'provisioned',
  active: 'provisioned',
  failed: 'failed',
  partially_failed: 'failed',
};

/**
 * Seed 004 step 5: after provisioning, success or failure, the operator system's order is updated
 * with the billing ids and status. The write-back is an outbox message (channel
 * `operator_system`) in the transaction that settled the order, so it goes out if and only if the
 * outcome commits, and the outbox retries it until it lands. Only orders an operator system
 * named (operator_orders) get one: the insert and its job read that row in the same statement,
 * so other orders cost one index look and nothing else.
 */
export const writeBackToOperatorSystem: Listener = (event, batch, ctx) => {
  if (event.type !== 'order.fulfillment_status_changed') return;
  const outcome = OUTCOMES[event.to];
  if (!outcome) return;
  const id = randomUUID();
  const orderId = event.order.orderId;
  const insert = `insert into outbox (id, channel, recipient, template, body, data, created_at, updated_at)
     select ?::uuid, 'operator_system', o.operator_order_id, '${OPERATOR_WRITEBACK_TEMPLATE}', ?, ?::jsonb,
            ?::timestamptz, ?::timestamptz
       from operator_orders o where o.order_id = ?::uuid`;
  const data = JSON.stringify({ orderId, orderCode: event.order.orderCode, outcome, orderStatus: event.to });
  const insertParams = [id, `Order ${event.order.orderCode}: ${outcome}`, data, ctx.now, ctx.now, orderId];
  batch.write(`${insert} returning 1`, insertParams, `${insert} and exists (select 1 from lead) returning 1`);
  const call = addJobCall(jobSpec('send_outbox', { messageId: id }, { newRow: true }));
  const linked = 'select 1 from operator_orders o where o.order_id = ?::uuid';
  batch.write(
    `select 1 from (${linked}) o cross join lateral ${call.sql} j`,
    [orderId, ...call.params],
    `select 1 from (${linked} and exists (select 1 from lead)) o cross join lateral ${call.sql} j`,
  );
};

/**
 * The write-back of an order that was already settled when its operator-system Order was linked
 * (the Order was made after ops approved in the back office, or after the order settled, because
 * the checkout's message landed late). Runs in the linking transaction, which holds the order's
 * row lock (see linkOperatorOrder), so the message exists if and only if the link commits. The
 * same row and job as the listener above writes; nothing when the order has not settled.
 */
export async function queueWriteBackOfSettledOrder(
  em: EntityManager,
  order: { orderId: string; orderCode: string; operatorOrderId: string; fulfillmentStatus: OrderFulfillmentStatus },
  now: Date,
): Promise<string | null> {
  const outcome = OUTCOMES[order.fulfillmentStatus];
  if (!outcome) return null;
  const id = randomUUID();
  const data = { orderId: order.orderId, orderCode: order.orderCode, outcome, orderStatus: order.fulfillmentStatus };
  await em.execute(
    `insert into outbox (id, channel, recipient, template, body, data, created_at, updated_at)
     values (?::uuid, 'operator_system', ?, '${OPERATOR_WRITEBACK_TEMPLATE}', ?, ?::jsonb, ?::timestamptz, ?::timestamptz)`,
    [id, order.operatorOrderId, `Order ${order.orderCode}: ${outcome}`, JSON.stringify(data), now, now],
  );
  await addJob(em, jobSpec('send_outbox', { messageId: id }, { newRow: true }));
  return id;
}
