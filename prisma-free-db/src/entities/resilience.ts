import { CIRCUIT_STATES, COMPENSATION_STATUSES } from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, updatedAt, uuidPk } from './common';
import { FulfillmentRecord } from './fulfillment';
import { User } from './users';

/**
 * A failed (or cancelled) record whose undo did not finish: the steps still journalled `done`
 * are undone again in the background with their own backoff, and what they hold (inventory)
 * stays quarantined meanwhile. Ops may also decide by hand (resolved).
 */
export const PendingCompensation = defineEntity({
  name: 'PendingCompensation',
  tableName: 'pending_compensations',
  indexes: [{ properties: ['status', 'nextAttemptAt'] }],
  properties: {
    id: uuidPk(),
    record: () => p.oneToOne(FulfillmentRecord).owner().unique().deleteRule('cascade'),
    status: oneOf(COMPENSATION_STATUSES).default('pending'),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime().nullable(),
    lastError: p.text().nullable(),
    /** What ops decided, and who, when they resolved it by hand. */
    resolution: p.text().nullable(),
    resolvedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type PendingCompensation = InferEntity<typeof PendingCompensation>;

/**
 * A vendor's rate limit, shared by every worker process: a token bucket refilled at `perSecond`
 * up to `burst`, taken from in one statement per call.
 */
export const ProviderRateLimit = defineEntity({
  name: 'ProviderRateLimit',
  tableName: 'provider_rate_limits',
  properties: {
    vendor: p.string().length(64).primary(),
    perSecond: p.double(),
    burst: p.integer(),
    tokens: p.double(),
    refilledAt: p.datetime(),
    /** Calls that had to wait for a token. */
    waits: p.bigint('number').default(0),
    updatedAt: updatedAt(),
  },
});
export type ProviderRateLimit = InferEntity<typeof ProviderRateLimit>;

/** A vendor's circuit breaker as one worker process sees it, written when it changes state. */
export const ProviderCircuit = defineEntity({
  name: 'ProviderCircuit',
  tableName: 'provider_circuits',
  primaryKeys: ['vendor', 'nodeId'],
  properties: {
    vendor: p.string().length(64).primary(),
    nodeId: p.string().length(64).primary(),
    state: oneOf(CIRCUIT_STATES),
    openedAt: p.datetime().nullable(),
    /** Why it opened: the last failure before it did. */
    lastError: p.text().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type ProviderCircuit = InferEntity<typeof ProviderCircuit>;
