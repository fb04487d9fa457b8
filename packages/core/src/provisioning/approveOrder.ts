import { type ActivationChoice, describeMoment, instantOf, type OrderStatus } from '@handover/contracts';
import { FulfillmentRecord, Order } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ActivationPlan, activationJobs, IMMEDIATE, scheduledAt } from '../activation/plan';
import { type Actor, activityLogRow } from '../activity/activity';
import { ormSql } from '../database/sql';
import { WriteBatch } from '../database/writeBatch';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { publish } from '../events/publish';
import { loadRecordFacts, writeTransition } from '../fulfillment/transitions';
import { jobSpec } from '../jobs/addJob';
import { activationFacts, orderFacts } from './facts';

export interface ApprovedOrder {
  orderId: string;
  orderCode: string;
  status: OrderStatus;
  /** Fulfillment records whose `fulfill` job was enqueued (none when activation waits for a date). */
  enqueuedRecordIds: string[];
  activation: { type: ActivationPlan['type']; at: Date | null; timeZone: string | null };
}

export interface ApproveOptions {
  /** Ops' choice; without it, what the order carries (the product's activation, the customer's date). */
  activation?: ActivationChoice;
  /** Who decided, as people read it: a staff member's email, or the name an operator system gave. */
  decidedBy?: string;
  now?: Date;
  /** The customer portal, for links in the messages. */
  portalUrl?: string;
}

/**
 * Seed 004 step 5: the operator approves an order waiting for review. Immediate activation starts
 * its records at once; a scheduled one moves them to `scheduled` with the date, and adds the
 * preflight (T−3 days) and activation jobs. The decision, its operator and the activation are in
 * the activity log; the customer is told. One transaction, with the order locked: of two
 * approvals at once (the back office and the operator system), the second finds it approved.
 * The back office and the signed operator API both call this.
 */
export async function approveOrderForProvisioning(
  em: EntityManager,
  orderId: string,
  actor: Actor,
  options: ApproveOptions = {},
): Promise<ApprovedOrder> {
  const now = options.now ?? new Date();
  return em.transactional(async (tem) => {
    const order = await tem.findOne(Order, orderId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!order) throw new NotFoundError(`No order with id ${orderId}.`);
    if (order.status !== 'pending_review') {
      throw new ConflictError(
        `Order ${order.orderCode} is ${order.status.replaceAll('_', ' ')}, not pending review: it cannot be approved.`,
      );
    }
    const plan = chosenPlan(order, options.activation, now);
    const decidedBy = options.decidedBy ?? (actor.type === 'system' ? 'system' : actor.id);
    const sql = ormSql(tem);
    await sql.query(
      `update orders set status = 'approved', review_decision = 'approved', reviewed_at = ?, reviewed_by = ?,
              review_reason = null, activation_type = ?, activation_scheduled_at = ?, activation_time_zone = ?,
              activation_preflight_at = ?, activation_started_at = ?, updated_at = ?
        where id = ? returning 1`,
      [
        now,
        decidedBy,
        plan.type,
        plan.at,
        plan.timeZone,
        plan.preflightAt,
        plan.type === 'immediate' ? now : null,
        now,
        order.id,
      ],
    );
    const records = await tem.find(
      FulfillmentRecord,
      { order: order.id, status: 'queued' },
      { orderBy: { position: 'asc' }, fields: ['id'] },
    );
    const batch = new WriteBatch();
    if (plan.type === 'immediate') {
      batch.jobs(records.map((record) => jobSpec('fulfill', { recordId: record.id })));
    } else {
      const when = describeMoment(plan.at as Date, plan.timeZone as string);
      for (const { id } of records) {
        await writeTransition(sql, {
          record: await loadRecordFacts(sql, id),
          from: 'queued',
          to: 'scheduled',
          by: 'operator',
          actor,
          action: 'fulfillment.activation_scheduled',
          reason: `To be activated ${when}`,
          changes: { scheduledFor: plan.at },
          now,
          portalUrl: options.portalUrl ?? '',
        });
      }
      batch.jobs(activationJobs(order.id, plan, now));
    }
    const activation = activationFacts(plan);
    batch.insert('activity_logs', [
      activityLogRow(
        {
          action: 'order.approved',
          subjectType: 'order',
          subjectId: order.id,
          actor,
          description: `Approved by ${decidedBy}; ${plan.type === 'immediate' ? 'activated at once' : `activation ${describeMoment(plan.at as Date, plan.timeZone as string)}`}`,
          properties: { orderCode: order.orderCode, decidedBy, activation, records: records.length },
        },
        now,
      ),
    ]);
    publish(
      batch,
      [
        {
          type: 'order.review_decided',
          order: orderFacts(order),
          decision: 'approved',
          reason: null,
          activation,
          refund: null,
        },
      ],
      { portalUrl: options.portalUrl ?? '', now },
    );
    await batch.execute(tem);
    return {
      orderId: order.id,
      orderCode: order.orderCode,
      status: 'approved' as const,
      enqueuedRecordIds: plan.type === 'immediate' ? records.map((record) => record.id) : [],
      activation: { type: plan.type, at: plan.at, timeZone: plan.timeZone },
    };
  });
}

/** Ops' choice, or the order's own plan; a scheduled one needs a date still to come. */
function chosenPlan(order: Order, choice: ActivationChoice | undefined, now: Date): ActivationPlan {
  let plan: ActivationPlan;
  if (choice?.type === 'immediate') plan = IMMEDIATE;
  else if (choice?.type === 'scheduled') plan = scheduledAt(instantOf(choice), choice.timeZone);
  else if (order.activationType === 'scheduled' && order.activationScheduledAt && order.activationTimeZone) {
    plan = scheduledAt(order.activationScheduledAt, order.activationTimeZone);
  } else if (order.activationType === 'scheduled') {
    throw new ValidationError(`Order ${order.orderCode} is activated on a date: choose it.`, {
      'activation.date': ['Choose the activation date, or activate at once'],
    });
  } else plan = IMMEDIATE;
  if (plan.type === 'scheduled' && (plan.at as Date).getTime() <= now.getTime()) {
    throw new ValidationError(`That activation date has passed for order ${order.orderCode}.`, {
      'activation.date': [`Choose a moment after ${describeMoment(now, plan.timeZone ?? 'UTC')}, or activate at once`],
    });
  }
  return plan;
}
