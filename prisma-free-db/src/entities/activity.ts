import { ACTOR_TYPES, ALERT_SEVERITIES } from '@handover/contracts';
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
  indexes: [{ properties: ['acknowledgedAt', 'createdAt'] }],
  properties: {
    id: uuidPk(),
    type: p.string().length(64).index(),
    severity: oneOf(ALERT_SEVERITIES).default('warning'),
    message: p.text(),
    subjectType: p.string().length(64).nullable(),
    subjectId: p.string().length(64).nullable(),
    data: p.json<Record<string, unknown>>().defaultRaw(`'{}'`),
    /** While an alert with this key is unacknowledged, the same condition raises no new one. */
    dedupeKey: p.string().nullable(),
    acknowledgedAt: p.datetime().nullable(),
    acknowledgedBy: () => p.manyToOne(User).nullable(),
    createdAt: createdAt(),
  },
});
export type AdminAlert = InferEntity<typeof AdminAlert>;
