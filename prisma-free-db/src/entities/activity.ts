import { ACTOR_TYPES, ALERT_EVENT_KINDS, ALERT_SEVERITIES } from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, uuidPk } from './common';
import { User } from './users';

/** Who did what to which subject; every status change is written here with its actor. */
export const ActivityLog = defineEntity({
  name: 'ActivityLog',
  tableName: 'activity_logs',
  indexes: [{ properties: ['subjectType', 'subjectId'] }, { properties: ['createdAt', 'id'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    action: p.string().length(100),
    description: p.text().default(''),
    subjectType: p.string().length(64),
    subjectId: p.string().length(64),
    actorType: oneOf(ACTOR_TYPES).default('system'),
    actorId: p.string().nullable(),
    properties: p.json<Record<string, unknown>>().defaultRaw(`'{}'`),
    createdAt: createdAt(),
  },
});
export type ActivityLog = InferEntity<typeof ActivityLog>;

/** Seed 000's admin_alerts: low inventory, fulfillment failures, rollback issues. */
export const AdminAlert = defineEntity({
  name: 'AdminAlert',
  tableName: 'admin_alerts',
  indexes: [{ properties: ['acknowledgedAt', 'createdAt'] }, { properties: ['dedupeKey', 'resolvedAt'] }],
  properties: {
    id: uuidPk(),
    type: p.string().length(64).index(),
    severity: oneOf(ALERT_SEVERITIES).default('warning'),
    message: p.text(),
    subjectType: p.string().length(64).nullable(),
    subjectId: p.string().length(64).nullable(),
    data: p.json<Record<string, unknown>>().defaultRaw(`'{}'`),
    /** While an open alert has this key, the same condition raises no new one (it is seen again). */
    dedupeKey: p.string().nullable(),
    /** The rule that raised it and resolves it when its condition clears; null for a one-off. */
    rule: p.string().length(64).nullable(),
    /** The last time its condition was seen, and how many times. */
    lastSeenAt: p.datetime().nullable(),
    occurrences: p.integer().default(1),
    /** Cleared by its rule, or by a person for a one-off: no longer open. */
    resolvedAt: p.datetime().nullable(),
    /** When ops were told (email and webhook) of it, and of its resolution. */
    notifiedAt: p.datetime().nullable(),
    resolutionNotifiedAt: p.datetime().nullable(),
    acknowledgedAt: p.datetime().nullable(),
    acknowledgedBy: () => p.manyToOne(User).nullable(),
    createdAt: createdAt(),
  },
});
export type AdminAlert = InferEntity<typeof AdminAlert>;

/** An alert's history, oldest first: what happened to it and when. */
export const AdminAlertEvent = defineEntity({
  name: 'AdminAlertEvent',
  tableName: 'admin_alert_events',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    alert: () => p.manyToOne(AdminAlert).deleteRule('cascade').index(),
    kind: oneOf(ALERT_EVENT_KINDS),
    detail: p.text().default(''),
    createdAt: createdAt(),
  },
});
export type AdminAlertEvent = InferEntity<typeof AdminAlertEvent>;
