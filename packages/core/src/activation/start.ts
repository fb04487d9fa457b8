import { FulfillmentRecord, Order } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, activityLogRow, SYSTEM } from '../activity/activity';
import { ormSql } from '../database/sql';
import { WriteBatch } from '../database/writeBatch';
import { ConflictError, NotFoundError } from '../errors';
import { loadRecordFacts, writeTransition } from '../fulfillment/transitions';
import { jobSpec } from '../jobs/addJob';

/** Orders whose service may be activated: approved after review, or paid without one. */
const ACTIVATABLE = new Set(['approved', 'paid']);

export interface StartedActivation {
  orderId: string;
  orderCode: string;
  /** Records moved from `scheduled` to `queued`, each with its `fulfill` job. */
  startedRecordIds: string[];
}

/**
 * Seed 004 5a's execute path: the order's scheduled records are queued to run now (Activation
 * status Not started → Activating), each with its `fulfill` job, in one transaction with the
 * order locked. The activation job calls it on the date (`schedule`), "Activate now" at once
 * (`operator`): the same path, so whichever comes first starts the records and the other finds
 * nothing left to start (409). The driver's steps then run as on any order.
 */
export async function startActivation(
  em: EntityManager,
  orderId: string,
  {
    by,
    actor = SYSTEM,
    now,
    portalUrl = '',
  }: { by: 'schedule' | 'operator'; actor?: Actor; now: Date; portalUrl?: string },
): Promise<StartedActivation> {
  return em.transactional(async (tem) => {
    const order = await tem.findOne(Order, orderId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!order) throw new NotFoundError(`No order with id ${orderId}.`);
    if (!ACTIVATABLE.has(order.status)) {
      throw new ConflictError(
        order.status === 'pending_review'
          ? `Order ${order.orderCode} waits for review: approve it before activating it.`
          : `Order ${order.orderCode} is ${order.status.replaceAll('_', ' ')}: there is nothing to activate.`,
      );
    }
    const records = await tem.find(
      FulfillmentRecord,
      { order: order.id, status: 'scheduled' },
      { orderBy: { position: 'asc' }, fields: ['id'] },
    );
    if (records.length === 0) {
      throw new ConflictError(`Order ${order.orderCode} is already activating or activated: nothing waits for a date.`);
    }
    const sql = ormSql(tem);
    for (const { id } of records) {
      await writeTransition(sql, {
        record: await loadRecordFacts(sql, id),
        from: 'scheduled',
        to: 'queued',
        by,
        actor,
        action: by === 'operator' ? 'fulfillment.activate_now' : 'fulfillment.activation_due',
        reason: 'Activating',
        changes: { nextAttemptAt: null },
        extra: new WriteBatch().jobs([jobSpec('fulfill', { recordId: id })]),
        now,
        portalUrl,
      });
    }
    await new WriteBatch()
      .write('update orders set activation_started_at = ?, updated_at = ? where id = ? returning 1', [
        now,
        now,
        order.id,
      ])
      .insert('activity_logs', [
        activityLogRow(
          {
            action: 'order.activation_started',
            subjectType: 'order',
            subjectId: order.id,
            actor,
            description: by === 'operator' ? 'Activate now' : 'The activation date came',
            properties: { orderCode: order.orderCode, by, records: records.length },
          },
          now,
        ),
      ])
      .execute(tem);
    return { orderId: order.id, orderCode: order.orderCode, startedRecordIds: records.map((record) => record.id) };
  });
}

/** The activation job: starts the order when its date has come by `now`, and does nothing otherwise. */
export async function activateWhenDue(
  em: EntityManager,
  orderId: string,
  { now, portalUrl }: { now: Date; portalUrl: string },
): Promise<'started' | 'not_due' | 'nothing_to_start'> {
  const order = await em.fork().findOne(Order, orderId, {
    fields: ['id', 'status', 'activationType', 'activationScheduledAt', 'activationStartedAt'],
  });
  if (order?.activationType !== 'scheduled' || order.activationStartedAt) return 'nothing_to_start';
  if (!order.activationScheduledAt || order.activationScheduledAt > now) return 'not_due';
  try {
    await startActivation(em.fork(), orderId, { by: 'schedule', now, portalUrl });
    return 'started';
  } catch (error) {
    // Approval still pending, a refund, or "Activate now" came first: nothing for the date to do.
    if (error instanceof ConflictError) return 'nothing_to_start';
    throw error;
  }
}
