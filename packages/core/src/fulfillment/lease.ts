import type { FulfillmentStatus, ManualTaskStatus } from '@handover/contracts';
import type { RetryPolicy } from '@handover/db';
import type pg from 'pg';
import { autocommit, named } from '../database/sql';
import type { JournalEntry } from './journal';
import { RUNNABLE_STATUSES } from './statuses';
import { START_ON_CLAIM, START_REASON } from './transitions';

/** A record as the engine runs it: leased to this worker, with all it needs, read in one statement. */
export interface ClaimedRecord {
  id: string;
  orderId: string;
  orderItemId: string;
  driver: string;
  position: number;
  subject: string | null;
  status: FulfillmentStatus;
  currentStep: string | null;
  attempts: number;
  pollCount: number;
  maxAttempts: number;
  payloadSnapshot: Record<string, unknown>;
  result: Record<string, unknown>;
  scheduledFor: Date | null;
  isTest: boolean;
  externalReferenceId: string | null;
  externalCustomerId: string | null;
  externalWorkspaceUrl: string | null;
  /** The worker that held the lease before this one, when its lease ran out: it died mid-run. */
  previousHolder: string | null;
  orderCode: string;
  customerEmail: string;
  userId: string;
  productName: string;
  fulfillmentConfig: Record<string, unknown>;
  retryPolicy: RetryPolicy | null;
  journal: JournalEntry[];
  /** The newest manual task of the current step, when it has one. */
  task: { status: ManualTaskStatus; title: string; resolution: Record<string, unknown> | null } | null;
}

const CLAIMABLE = [...RUNNABLE_STATUSES, 'cancelled'];

/**
 * Takes the lease and, for a `queued` record, starts it (transitions.ts's START_ON_CLAIM), then
 * reads what the run needs: record, order, product, journal and the current step's task.
 */
const CLAIM = named(
  `with previous as (
     select id, status, locked_by, locked_until from fulfillment_records where id = :id for update
   ), claimed as (
     update fulfillment_records r
        set locked_by = :node, locked_until = :until, started_at = coalesce(r.started_at, :now),
            status = case when p.status = 'queued' then 'processing' else r.status end,
            status_reason = case when p.status = 'queued' then :reason else r.status_reason end,
            updated_at = case when p.status = 'queued' then :now else r.updated_at end
       from previous p
      where r.id = p.id and p.status in (${CLAIMABLE.map((s) => `'${s}'`).join(', ')})
        and (p.locked_by is null or p.locked_until < :now)
     returning r.*, p.locked_by as previous_holder, p.status as previous_status
   ), ${START_ON_CLAIM}
   select c.id, c.order_id, c.order_item_id, c.driver, c.position, c.subject, c.status, c.current_step,
          c.attempts, c.poll_count, c.max_attempts, c.payload_snapshot, c.result, c.scheduled_for, c.is_test,
          c.external_reference_id, c.external_customer_id, c.external_workspace_url, c.previous_holder,
          o.order_code, o.email, o.user_id, p.name as product_name, p.fulfillment_config, p.retry_policy,
          (select coalesce(json_agg(json_build_object('name', s.name, 'status', s.status,
                                                      'generation', s.generation, 'output', s.output)), '[]')
             from fulfillment_steps s where s.record_id = c.id) as journal,
          (select json_build_object('status', t.status, 'title', t.title, 'resolution', t.resolution)
             from manual_tasks t where t.record_id = c.id and t.step = c.current_step
            order by t.created_at desc limit 1) as task
     from claimed c join orders o on o.id = c.order_id join products p on p.id = c.product_id`,
);

interface ClaimRow {
  id: string;
  order_id: string;
  order_item_id: string;
  driver: string;
  position: number;
  subject: string | null;
  status: FulfillmentStatus;
  current_step: string | null;
  attempts: number;
  poll_count: number;
  max_attempts: number;
  payload_snapshot: Record<string, unknown>;
  result: Record<string, unknown>;
  scheduled_for: Date | null;
  is_test: boolean;
  external_reference_id: string | null;
  external_customer_id: string | null;
  external_workspace_url: string | null;
  previous_holder: string | null;
  order_code: string;
  email: string;
  user_id: string;
  product_name: string;
  fulfillment_config: Record<string, unknown>;
  retry_policy: RetryPolicy | null;
  journal: JournalEntry[];
  task: ClaimedRecord['task'];
}

/**
 * Takes the record's lease for `nodeId` and reads what a run needs, in one statement: null when
 * the record is finished or a live lease holds it (another worker's, or another run's in this
 * one). A lease that ran out (its worker died) is taken over, and the record says whose it was.
 */
export async function claimRecord(
  pool: pg.Pool,
  { recordId, nodeId, leaseMs, now }: { recordId: string; nodeId: string; leaseMs: number; now: Date },
): Promise<ClaimedRecord | null> {
  const [row] = await autocommit<ClaimRow>(
    pool,
    CLAIM.text,
    CLAIM.params({ id: recordId, node: nodeId, until: new Date(now.getTime() + leaseMs), now, reason: START_REASON }),
  );
  if (!row) return null;
  return {
    id: row.id,
    orderId: row.order_id,
    orderItemId: row.order_item_id,
    driver: row.driver,
    position: row.position,
    subject: row.subject,
    status: row.status,
    currentStep: row.current_step,
    attempts: row.attempts,
    pollCount: row.poll_count,
    maxAttempts: row.max_attempts,
    payloadSnapshot: row.payload_snapshot,
    result: row.result,
    scheduledFor: row.scheduled_for,
    isTest: row.is_test,
    externalReferenceId: row.external_reference_id,
    externalCustomerId: row.external_customer_id,
    externalWorkspaceUrl: row.external_workspace_url,
    previousHolder: row.previous_holder,
    orderCode: row.order_code,
    customerEmail: row.email,
    userId: row.user_id,
    productName: row.product_name,
    fulfillmentConfig: row.fulfillment_config,
    retryPolicy: row.retry_policy,
    journal: row.journal,
    task: row.task,
  };
}

/** Where a record stands when it could not be claimed; null when it does not exist. */
export async function leaseHolderOf(
  pool: pg.Pool,
  recordId: string,
): Promise<{ status: FulfillmentStatus; lockedBy: string | null; lockedUntil: Date | null } | null> {
  const [row] = await autocommit<{ status: FulfillmentStatus; locked_by: string | null; locked_until: Date | null }>(
    pool,
    'select status, locked_by, locked_until from fulfillment_records where id = ?',
    [recordId],
  );
  return row ? { status: row.status, lockedBy: row.locked_by, lockedUntil: row.locked_until } : null;
}

/** Keeps the lease alive while a step runs (a third of its length apart); stop it when the run ends. */
export function keepLease(
  pool: pg.Pool,
  {
    recordId,
    nodeId,
    leaseMs,
    now,
    onError,
  }: {
    recordId: string;
    nodeId: string;
    leaseMs: number;
    now: () => Date;
    onError(error: unknown): void;
  },
): () => void {
  const timer = setInterval(
    () => {
      autocommit(pool, 'update fulfillment_records set locked_until = ? where id = ? and locked_by = ?', [
        new Date(now().getTime() + leaseMs),
        recordId,
        nodeId,
      ]).catch(onError);
    },
    Math.max(100, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return () => clearInterval(timer);
}

/** Lets go of a lease this worker still holds, after a run that stopped without writing. */
export async function releaseLease(pool: pg.Pool, recordId: string, nodeId: string): Promise<void> {
  await autocommit(
    pool,
    'update fulfillment_records set locked_by = null, locked_until = null where id = ? and locked_by = ?',
    [recordId, nodeId],
  );
}
