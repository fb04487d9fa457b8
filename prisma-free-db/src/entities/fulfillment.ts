import {
  ACTOR_TYPES,
  FULFILLMENT_LOG_KINDS,
  FULFILLMENT_LOG_STATUSES,
  FULFILLMENT_STATUSES,
  MANUAL_TASK_STATUSES,
  RECORD_ACTION_STATUSES,
  STEP_STATUSES,
} from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Product } from './catalog';
import { createdAt, oneOf, p, updatedAt, uuidPk } from './common';
import { Order, OrderItem } from './orders';
import { User } from './users';

/** One unit of delivery: an order item (or one domain of it), fulfilled by the product's driver. */
export const FulfillmentRecord = defineEntity({
  name: 'FulfillmentRecord',
  tableName: 'fulfillment_records',
  indexes: [
    { properties: ['status', 'createdAt'] },
    { properties: ['driver', 'createdAt'] },
    // The back office pages by (created_at, id) and searches subjects and errors by any part (pg_trgm).
    { properties: ['createdAt', 'id'] },
    {
      name: 'fulfillment_records_subject_trgm',
      expression:
        'create index "fulfillment_records_subject_trgm" on "fulfillment_records" using gin ("subject" gin_trgm_ops)',
    },
    {
      name: 'fulfillment_records_last_error_trgm',
      expression:
        'create index "fulfillment_records_last_error_trgm" on "fulfillment_records" using gin ("last_error" gin_trgm_ops)',
    },
    // The reconcile job's next delivered records to ask their provider about, least recently asked first.
    {
      name: 'fulfillment_records_sync_due_index',
      expression:
        'create index "fulfillment_records_sync_due_index" on "fulfillment_records" ("last_synced_at" nulls first) where "external_reference_id" is not null and "status" in (\'completed\', \'active\', \'suspended\')',
    },
    // The dashboard's failures of the last 24 hours, without a scan.
    {
      name: 'fulfillment_records_failed_at_index',
      expression:
        'create index "fulfillment_records_failed_at_index" on "fulfillment_records" ("failed_at") where "failed_at" is not null',
    },
  ],
  properties: {
    id: uuidPk(),
    order: () => p.manyToOne(Order).deleteRule('cascade').index(),
    orderItem: () => p.manyToOne(OrderItem).deleteRule('cascade').index(),
    product: () => p.manyToOne(Product),
    driver: p.string().length(64),
    /** Position within its order item (several domains in one item get one record each). */
    position: p.integer().default(0),
    /** What this record delivers to, for people and search: a domain, a phone number. */
    subject: p.string().nullable().index(),
    status: oneOf(FULFILLMENT_STATUSES).default('queued'),
    /** Why the record is in its status, in words a customer understands ("Waiting for your DNS change"). */
    statusReason: p.text().nullable(),
    /** Name of the step the engine is on (or stopped at). */
    currentStep: p.string().nullable(),
    /** Attempts of the current step (reset when a step completes). */
    attempts: p.integer().default(0),
    maxAttempts: p.integer().default(3),
    pollCount: p.integer().default(0),
    /** The driver's input: the order form's values for this record. */
    payloadSnapshot: p.json<Record<string, unknown>>(),
    /** What the customer may see once delivered (nameservers, workspace URL, ...). Never secrets. */
    result: p.json<Record<string, unknown>>().defaultRaw(`'{}'`),
    externalReferenceId: p.string().nullable().index(),
    externalWorkspaceUrl: p.string().nullable(),
    externalCustomerId: p.string().nullable(),
    /** When the reconcile job last asked the provider about this delivered record. */
    lastSyncedAt: p.datetime().nullable(),
    lastError: p.text().nullable(),
    lastErrorCode: p.string().nullable(),
    nextAttemptAt: p.datetime().nullable(),
    scheduledFor: p.datetime().nullable(),
    isTest: p.boolean().default(false),
    /** Lease held by the worker running this record; an expired lease may be taken over. */
    lockedBy: p.string().nullable(),
    lockedUntil: p.datetime().nullable(),
    startedAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
    failedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type FulfillmentRecord = InferEntity<typeof FulfillmentRecord>;

/** The step journal: a step journalled `done` is never run again for its record. */
export const FulfillmentStep = defineEntity({
  name: 'FulfillmentStep',
  tableName: 'fulfillment_steps',
  uniques: [{ properties: ['record', 'name'] }],
  properties: {
    id: uuidPk(),
    record: () => p.manyToOne(FulfillmentRecord).deleteRule('cascade'),
    name: p.string().length(64),
    position: p.integer(),
    status: oneOf(STEP_STATUSES),
    /**
     * Bumped when a step must really be done again (after its compensation, or an operator's
     * re-run): the idempotency key changes with it, so the provider does not replay the old result.
     */
    generation: p.integer().default(0),
    /** Derived from record, step and generation; the same on every attempt, sent to the provider. */
    idempotencyKey: p.string(),
    output: p.json<Record<string, unknown>>().nullable(),
    attempts: p.integer().default(0),
    error: p.text().nullable(),
    startedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
    compensatedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type FulfillmentStep = InferEntity<typeof FulfillmentStep>;

/**
 * Every attempt, provider call and transition of a record (seed 002's fulfillment_logs,
 * one row per event rather than one per order). Requests and responses are redacted.
 */
export const FulfillmentLog = defineEntity({
  name: 'FulfillmentLog',
  tableName: 'fulfillment_logs',
  indexes: [
    { properties: ['status', 'createdAt'] },
    { properties: ['driver', 'createdAt'] },
    { properties: ['createdAt', 'id'] },
    { properties: ['network', 'createdAt'] },
    // Seed 002's filters by phone number, and the back office's by domain and error text, match any part.
    {
      name: 'fulfillment_logs_phone_number_trgm',
      expression:
        'create index "fulfillment_logs_phone_number_trgm" on "fulfillment_logs" using gin ("phone_number" gin_trgm_ops)',
    },
    {
      name: 'fulfillment_logs_subject_trgm',
      expression:
        'create index "fulfillment_logs_subject_trgm" on "fulfillment_logs" using gin ("subject" gin_trgm_ops)',
    },
    {
      name: 'fulfillment_logs_error_message_trgm',
      expression:
        'create index "fulfillment_logs_error_message_trgm" on "fulfillment_logs" using gin ("error_message" gin_trgm_ops)',
    },
  ],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    record: () => p.manyToOne(FulfillmentRecord).nullable().deleteRule('cascade').index(),
    order: () => p.manyToOne(Order).nullable().deleteRule('cascade').index(),
    driver: p.string().length(64).nullable(),
    /** Seed 002: the network delivered to (e.g. AT-iShare); null for other drivers. */
    network: p.string().length(100).nullable(),
    phoneNumber: p.string().length(32).nullable().index(),
    subject: p.string().nullable(),
    kind: oneOf(FULFILLMENT_LOG_KINDS),
    step: p.string().length(64).nullable(),
    status: oneOf(FULFILLMENT_LOG_STATUSES),
    attemptNumber: p.integer().default(1),
    maxAttempts: p.integer().nullable(),
    method: p.string().length(10).nullable(),
    url: p.text().nullable(),
    request: p.json<unknown>().nullable(),
    apiResponse: p.json<unknown>().nullable(),
    httpStatus: p.integer().nullable(),
    durationMs: p.integer().nullable(),
    errorMessage: p.text().nullable(),
    retryAfter: p.datetime().nullable(),
    fulfilledAt: p.datetime().nullable(),
    /** The request or webhook this work came from (observability/correlation.ts). */
    correlationId: p.string().length(128).nullable(),
    createdAt: createdAt(),
  },
});
export type FulfillmentLog = InferEntity<typeof FulfillmentLog>;

/** Work an operator does by hand (manual drivers, or a step that needs a person), with an SLA. */
export const ManualTask = defineEntity({
  name: 'ManualTask',
  tableName: 'manual_tasks',
  indexes: [{ properties: ['status', 'dueAt'] }],
  properties: {
    id: uuidPk(),
    record: () => p.manyToOne(FulfillmentRecord).deleteRule('cascade').index(),
    step: p.string().length(64),
    queue: p.string().length(64).default('ops'),
    title: p.string(),
    instructions: p.text().default(''),
    status: oneOf(MANUAL_TASK_STATUSES).default('open'),
    slaHours: p.integer().nullable(),
    dueAt: p.datetime().nullable(),
    assignee: () => p.manyToOne(User).nullable(),
    completedBy: () => p.manyToOne(User).nullable(),
    completedAt: p.datetime().nullable(),
    /** What the operator entered on completion; becomes the step's output. */
    resolution: p.json<Record<string, unknown>>().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type ManualTask = InferEntity<typeof ManualTask>;

/**
 * Something asked of a delivered record besides its steps, run by the driver's action of that
 * name in the worker (seed 004: a customer reissuing their eSIM). One pending per record and action.
 */
export const RecordAction = defineEntity({
  name: 'RecordAction',
  tableName: 'record_actions',
  indexes: [
    { properties: ['record', 'createdAt'] },
    {
      name: 'record_actions_one_pending',
      expression:
        'create unique index "record_actions_one_pending" on "record_actions" ("record_id", "action") where "status" = \'pending\'',
    },
  ],
  properties: {
    id: uuidPk(),
    record: () => p.manyToOne(FulfillmentRecord).deleteRule('cascade'),
    /** The driver's action (`reissue`). */
    action: p.string().length(64),
    input: p.json<Record<string, unknown>>().defaultRaw(`'{}'`),
    status: oneOf(RECORD_ACTION_STATUSES).default('pending'),
    /** What the action changed, as the driver said (never a secret). */
    result: p.json<Record<string, unknown>>().nullable(),
    error: p.text().nullable(),
    errorCode: p.string().length(64).nullable(),
    requestedByType: oneOf(ACTOR_TYPES),
    requestedById: p.string().nullable(),
    completedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type RecordAction = InferEntity<typeof RecordAction>;
