import type { FulfillmentStatus, OrderFulfillmentStatus } from '@handover/contracts';
import { type Actor, activityLogRow } from '../activity/activity';
import type { Sql } from '../database/sql';
import { WriteBatch } from '../database/writeBatch';
import { ConflictError, NotFoundError } from '../errors';
import type { DomainEvent, OrderFacts, RecordFacts, TransitionCause } from '../events/domainEvents';
import { publish } from '../events/publish';
import { currentCorrelationId } from '../observability/correlation';
import { deriveOrderFulfillmentStatus } from './statuses';

const WAITING = ['awaiting_inventory', 'awaiting_provider', 'awaiting_customer', 'draft'] as const;
const UNDELIVERED = ['queued', 'processing', ...WAITING, 'manual_pending', 'scheduled'] as const;

interface Rule {
  from: readonly FulfillmentStatus[];
  to: FulfillmentStatus;
  by: readonly TransitionCause[];
}

/**
 * Every way a fulfillment record's status may change, and who may change it. `writeTransition`
 * refuses anything else: a status is never set anywhere but through it.
 */
export const TRANSITIONS: readonly Rule[] = [
  // The engine starts or resumes a record, and it waits, is handed to a person, or finishes.
  { from: ['queued', 'scheduled', ...WAITING, 'manual_pending'], to: 'processing', by: ['engine'] },
  { from: ['processing', ...WAITING], to: 'awaiting_inventory', by: ['engine'] },
  { from: ['processing', ...WAITING], to: 'awaiting_provider', by: ['engine'] },
  { from: ['processing', ...WAITING], to: 'awaiting_customer', by: ['engine'] },
  { from: ['processing', ...WAITING], to: 'draft', by: ['engine'] },
  { from: ['processing', ...WAITING], to: 'manual_pending', by: ['engine'] },
  { from: ['processing', 'awaiting_provider'], to: 'completed', by: ['engine'] },
  { from: ['processing', 'awaiting_provider'], to: 'active', by: ['engine'] },
  // A step failed for good, or the record cannot run here at all (driver or config missing).
  { from: UNDELIVERED, to: 'failed', by: ['engine'] },
  // Staff retry a failure, or run a record not yet delivered again from one of its steps.
  { from: ['failed'], to: 'queued', by: ['operator'] },
  { from: ['processing', ...WAITING, 'manual_pending', 'failed'], to: 'queued', by: ['operator'] },
  // Seed 004 5a: approved with an activation date, a record waits for it (ops may move the date);
  // on the date, or when ops press "Activate now", it is queued to run.
  { from: ['queued'], to: 'scheduled', by: ['operator'] },
  { from: ['scheduled'], to: 'queued', by: ['operator', 'schedule'] },
  // The customer corrected what a draft needed and sent it again (seed 001).
  { from: ['draft'], to: 'queued', by: ['customer'] },
  // Stopped before delivery: by staff, or because the order was refunded or its subscription ended.
  { from: UNDELIVERED, to: 'cancelled', by: ['operator', 'lifecycle'] },
  // Seed 000 phase 5: the DNS check sees the customer's nameservers.
  { from: ['completed'], to: 'active', by: ['provider'] },
  // After delivery: a subscription ended, or the order was refunded.
  { from: ['completed', 'active'], to: 'suspended', by: ['lifecycle'] },
  { from: ['completed', 'active', 'suspended'], to: 'cancelled', by: ['lifecycle'] },
  // A suspended subscription was paid again: the record is delivered again (seed 003 `resume`).
  { from: ['suspended'], to: 'completed', by: ['lifecycle'] },
  { from: ['suspended'], to: 'active', by: ['lifecycle'] },
];

export function isAllowedTransition(from: FulfillmentStatus, to: FulfillmentStatus, by: TransitionCause): boolean {
  return TRANSITIONS.some((rule) => rule.to === to && rule.from.includes(from) && rule.by.includes(by));
}

/** Columns of fulfillment_records a transition may set besides the status. */
export interface RecordChanges {
  currentStep?: string | null;
  attempts?: number;
  pollCount?: number;
  nextAttemptAt?: Date | null;
  lastError?: string | null;
  lastErrorCode?: string | null;
  result?: Record<string, unknown>;
  startedAt?: Date | null;
  completedAt?: Date | null;
  failedAt?: Date | null;
  lockedBy?: string | null;
  lockedUntil?: Date | null;
  externalReferenceId?: string;
  externalCustomerId?: string;
  externalWorkspaceUrl?: string;
  scheduledFor?: Date | null;
}

const COLUMNS: Record<keyof RecordChanges, string> = {
  currentStep: 'current_step',
  attempts: 'attempts',
  pollCount: 'poll_count',
  nextAttemptAt: 'next_attempt_at',
  lastError: 'last_error',
  lastErrorCode: 'last_error_code',
  result: 'result',
  startedAt: 'started_at',
  completedAt: 'completed_at',
  failedAt: 'failed_at',
  lockedBy: 'locked_by',
  lockedUntil: 'locked_until',
  externalReferenceId: 'external_reference_id',
  externalCustomerId: 'external_customer_id',
  externalWorkspaceUrl: 'external_workspace_url',
  scheduledFor: 'scheduled_for',
};

export interface Transition {
  record: RecordFacts;
  from: FulfillmentStatus;
  /** The same as `from` to write `changes` and `extra` without a status change. */
  to: FulfillmentStatus;
  by: TransitionCause;
  actor: Actor;
  /** Why the record is in its new status, in the customer's words; `undefined` leaves it as it is. */
  reason?: string | null;
  /** The activity row's action, when the change has a name of its own (`fulfillment.retry_requested`). */
  action?: string;
  /** Extra properties of the activity row (the step a re-run starts from). */
  properties?: Record<string, unknown>;
  changes?: RecordChanges;
  /** Write only while this worker holds the record's lease. */
  leaseHolder?: string;
  /** Events beyond the status change itself (a step completed, a retry, a failure). */
  events?: readonly DomainEvent[];
  /** Rows that belong with the change (journal, logs, tasks, jobs): written only when it is. */
  extra?: WriteBatch;
  now: Date;
  portalUrl: string;
}

export interface TransitionResult {
  order: { previous: OrderFulfillmentStatus; current: OrderFulfillmentStatus } | null;
}

/** The record moved on, or another worker holds it: nothing was written. */
export class StaleTransitionError extends ConflictError {}

/**
 * The one writer of a record's status, inside the caller's transaction on `sql`: locks the order
 * (when the status changes), updates the record only if it is still `from` (and leased to
 * `leaseHolder`), then in one statement writes the transition's activity and log rows, its
 * domain events and what their listeners add (messages, notices, alerts), the `extra` rows, and
 * the order's derived status with its own activity and event.
 */
export async function writeTransition(sql: Sql, t: Transition): Promise<TransitionResult> {
  const changesStatus = t.to !== t.from;
  if (changesStatus && !isAllowedTransition(t.from, t.to, t.by)) {
    throw new ConflictError(`A ${t.from} record cannot become ${t.to} (by ${t.by})`);
  }
  const batch = t.extra ?? new WriteBatch();
  if (!changesStatus) {
    // Nothing for the order: the record's update leads one statement with the rows that go with
    // it, which happen only when the update found the record as it expected (so no transaction
    // is needed); a write that cannot be made conditional runs in the caller's transaction.
    const { text, params } = recordUpdate(t, false);
    publish(batch, t.events ?? [], { portalUrl: t.portalUrl, now: t.now });
    const lead = { sql: text, params };
    const updated = batch.canGuard ? await batch.executeGuarded(sql, lead) : await batch.execute(sql, lead);
    if (updated !== 1) throw stale(t);
    return { order: null };
  }

  const [locked] = await sql.query<{ fulfillment_status: OrderFulfillmentStatus }>(
    'select fulfillment_status from orders where id = ? for update',
    [t.record.orderId],
  );
  const previous: OrderFulfillmentStatus = locked?.fulfillment_status ?? 'pending';
  const { text, params } = recordUpdate(t, true);
  const [updated] = await sql.query<{ siblings: FulfillmentStatus[] | null }>(text, params);
  if (!updated) throw stale(t);

  const events: DomainEvent[] = [];
  batch.insert('fulfillment_logs', [transitionLogRow(t)]);
  batch.insert('activity_logs', [
    activityLogRow(
      {
        action: t.action ?? `fulfillment.${t.to}`,
        subjectType: 'fulfillment_record',
        subjectId: t.record.recordId,
        actor: t.actor,
        description: t.reason ?? '',
        properties: {
          from: t.from,
          to: t.to,
          orderId: t.record.orderId,
          driver: t.record.driver,
          by: t.by,
          ...t.properties,
        },
      },
      t.now,
    ),
  ]);
  events.push({
    type: 'fulfillment.status_changed',
    record: t.record,
    from: t.from,
    to: t.to,
    reason: t.reason ?? null,
    by: t.by,
  });
  const current = deriveOrderFulfillmentStatus([...(updated.siblings ?? []), t.to]);
  const order = { previous, current };
  if (current !== previous) writeOrderStatus(batch, t, previous, current, events);
  events.push(...(t.events ?? []));
  publish(batch, events, { portalUrl: t.portalUrl, now: t.now });
  await batch.execute(sql);
  return { order };
}

const stale = (t: Transition) =>
  new StaleTransitionError(`Record ${t.record.recordId} is no longer ${t.from}, or another worker holds it`);

/**
 * The record's update, guarded by its status (and lease). With `siblings`, a statement that also
 * returns the statuses of the order's other records (read after the order lock); without, the
 * update alone, to lead a WriteBatch.
 */
function recordUpdate(t: Transition, siblings: boolean): { text: string; params: unknown[] } {
  const sets: string[] = ['updated_at = ?'];
  const params: unknown[] = [t.now];
  if (t.to !== t.from) {
    sets.push('status = ?');
    params.push(t.to);
  }
  if (t.reason !== undefined) {
    sets.push('status_reason = ?');
    params.push(t.reason);
  }
  for (const [key, column] of Object.entries(COLUMNS) as [keyof RecordChanges, string][]) {
    const value = t.changes?.[key];
    if (value === undefined) continue;
    sets.push(key === 'result' ? `${column} = ?::jsonb` : `${column} = ?`);
    params.push(value);
  }
  const lease = t.leaseHolder === undefined ? '' : ' and locked_by = ?';
  const update = `update fulfillment_records set ${sets.join(', ')} where id = ? and status = ?${lease} returning id`;
  const guard = [t.record.recordId, t.from, ...(t.leaseHolder === undefined ? [] : [t.leaseHolder])];
  if (!siblings) return { text: update, params: [...params, ...guard] };
  return {
    text: `with rec as (${update})
           select (select json_agg(s.status) from fulfillment_records s
                    where s.order_id = ? and s.id <> ?) as siblings
             from rec`,
    params: [...params, ...guard, t.record.orderId, t.record.recordId],
  };
}

function transitionLogRow(t: Transition): Record<string, unknown> {
  return {
    record_id: t.record.recordId,
    order_id: t.record.orderId,
    driver: t.record.driver,
    subject: t.record.subject,
    kind: 'transition',
    status: t.to === 'failed' ? 'failed' : t.to === 'completed' || t.to === 'active' ? 'success' : 'processing',
    attempt_number: 1,
    error_message: `${t.from} → ${t.to}`,
    fulfilled_at: t.to === 'completed' || t.to === 'active' ? t.now : null,
    correlation_id: currentCorrelationId() ?? null,
    created_at: t.now,
  };
}

/** The order's derived status, its activity row and its event; a failed record names its error on the order. */
function writeOrderStatus(
  batch: WriteBatch,
  t: Transition,
  previous: OrderFulfillmentStatus,
  current: OrderFulfillmentStatus,
  events: DomainEvent[],
): void {
  const finished = current === 'completed' || current === 'active';
  const failing = current === 'failed' || current === 'partially_failed';
  const error =
    t.to === 'failed'
      ? `${t.record.subject ? `${t.record.subject}: ` : ''}${t.changes?.lastError ?? t.reason ?? 'failed'}`
      : null;
  batch.write(
    `update orders set fulfillment_status = ?,
            fulfillment_error = case when ?::text is not null then ?::text when ? then fulfillment_error end,
            completed_at = case when ? then ? else completed_at end,
            updated_at = ?
      where id = ? returning 1`,
    [current, error, error, failing, finished, t.now, t.now, t.record.orderId],
  );
  batch.insert('activity_logs', [
    activityLogRow(
      {
        action: 'order.fulfillment_status_changed',
        subjectType: 'order',
        subjectId: t.record.orderId,
        actor: { type: 'system' },
        properties: { from: previous, to: current },
      },
      t.now,
    ),
  ]);
  const order: OrderFacts = {
    orderId: t.record.orderId,
    orderCode: t.record.orderCode,
    customerEmail: t.record.customerEmail,
    userId: t.record.userId,
  };
  events.push({ type: 'order.fulfillment_status_changed', order, from: previous, to: current, by: t.by });
}

/**
 * What events say of a record, read in one query: for callers that change a record outside
 * the engine (operations, lifecycle calls, the DNS check), which has these facts already.
 */
export async function loadRecordFacts(
  sql: Sql,
  recordId: string,
): Promise<RecordFacts & { status: FulfillmentStatus; lockedBy: string | null; lockedUntil: Date | null }> {
  const [row] = await sql.query<{
    id: string;
    order_id: string;
    order_code: string;
    email: string;
    user_id: string;
    driver: string;
    subject: string | null;
    product_name: string;
    status: FulfillmentStatus;
    locked_by: string | null;
    locked_until: Date | null;
  }>(
    `select r.id, r.order_id, o.order_code, o.email, o.user_id, r.driver, r.subject, p.name as product_name, r.status,
            r.locked_by, r.locked_until
       from fulfillment_records r join orders o on o.id = r.order_id join products p on p.id = r.product_id
      where r.id = ?`,
    [recordId],
  );
  if (!row) throw new NotFoundError(`Fulfillment record ${recordId} does not exist`);
  return {
    recordId: row.id,
    orderId: row.order_id,
    orderCode: row.order_code,
    customerEmail: row.email,
    userId: row.user_id,
    driver: row.driver,
    subject: row.subject,
    item: describeItem(row.product_name, row.subject),
    status: row.status,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until ? new Date(row.locked_until) : null,
  };
}

/**
 * Locks the order of a record for the rest of the transaction. Every change to an order's
 * records takes this lock first, so two records finishing at once cannot both derive the
 * order's status from a stale view of each other; read the record after it.
 */
export async function lockOrderOf(sql: Sql, recordId: string): Promise<void> {
  const [order] = await sql.query<{ id: string }>(
    'select o.id from orders o join fulfillment_records r on r.order_id = o.id where r.id = ? for update of o',
    [recordId],
  );
  if (!order) throw new NotFoundError(`Fulfillment record ${recordId} does not exist`);
}

/** A record as customers read it in messages: the product, and the domain or number it is for. */
export const describeItem = (productName: string, subject: string | null): string =>
  subject ? `${productName} (${subject})` : productName;

/**
 * The one transition that happens as a record is claimed: a `queued` record starts
 * (`processing`, "Being delivered"), written by the claim's own statement so that starting costs
 * no round trip of its own. These CTEs follow a `claimed` CTE that returns the claimed row with
 * its `previous_status`; they write what `writeTransition` writes for it: the log and activity
 * rows, the domain event, and the order's status. A record starting turns an order that is
 * `pending` or `scheduled` into `processing` and changes no other order status, so the order's
 * update needs no lock: its condition is checked on the newest row. No listener reacts to a
 * start (transitions.test.ts checks that), so there are no listener rows to write.
 */
export const START_ON_CLAIM = `
  started as (
    select c.id, c.order_id, c.driver, c.subject, o.order_code, o.email, o.user_id,
           case when c.subject is null then p.name else p.name || ' (' || c.subject || ')' end as item
      from claimed c join orders o on o.id = c.order_id join products p on p.id = c.product_id
     where c.previous_status = 'queued'
  ), start_facts as (
    select s.*, jsonb_build_object('recordId', s.id, 'orderId', s.order_id, 'orderCode', s.order_code,
             'customerEmail', s.email, 'userId', s.user_id, 'driver', s.driver, 'subject', s.subject,
             'item', s.item) as record
      from started s
  ), start_log as (
    insert into fulfillment_logs (record_id, order_id, driver, subject, kind, status, attempt_number, error_message, created_at)
    select id, order_id, driver, subject, 'transition', 'processing', 1, 'queued → processing', :now from started
    returning 1
  ), start_activity as (
    insert into activity_logs (action, description, subject_type, subject_id, actor_type, properties, created_at)
    select 'fulfillment.processing', :reason, 'fulfillment_record', id::text, 'system',
           jsonb_build_object('from', 'queued', 'to', 'processing', 'orderId', order_id, 'driver', driver, 'by', 'engine'),
           :now
      from started
    returning 1
  ), start_event as (
    insert into domain_events (id, type, subject_type, subject_id, payload, created_at)
    select gen_random_uuid(), 'fulfillment.status_changed', 'fulfillment_record', id::text,
           jsonb_build_object('type', 'fulfillment.status_changed', 'record', record, 'from', 'queued',
                              'to', 'processing', 'reason', :reason::text, 'by', 'engine'),
           :now
      from start_facts
    returning 1
  ), order_before as (
    select o.id, o.fulfillment_status from orders o join started s on s.order_id = o.id
  ), order_started as (
    update orders o set fulfillment_status = 'processing', updated_at = :now
      from started s
     where o.id = s.order_id and o.fulfillment_status in ('pending', 'scheduled')
    returning o.id
  ), order_activity as (
    insert into activity_logs (action, description, subject_type, subject_id, actor_type, properties, created_at)
    select 'order.fulfillment_status_changed', '', 'order', os.id::text, 'system',
           jsonb_build_object('from', b.fulfillment_status, 'to', 'processing'), :now
      from order_started os join order_before b on b.id = os.id
    returning 1
  ), order_event as (
    insert into domain_events (id, type, subject_type, subject_id, payload, created_at)
    select gen_random_uuid(), 'order.fulfillment_status_changed', 'order', f.order_id::text,
           jsonb_build_object('type', 'order.fulfillment_status_changed',
             'order', jsonb_build_object('orderId', f.order_id, 'orderCode', f.order_code,
                                         'customerEmail', f.email, 'userId', f.user_id),
             'from', b.fulfillment_status, 'to', 'processing', 'by', 'engine'),
           :now
      from start_facts f join order_started os on os.id = f.order_id join order_before b on b.id = os.id
    returning 1
  )`;

/** The customer's words for a record being started. */
export const START_REASON = 'Being delivered';
