import type { ActorType } from '@handover/contracts';
import { ActivityLog } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Who caused a change: the system itself, a signed-in person, or an outside system with a key. */
export type Actor = { type: 'system' } | { type: 'user'; id: string } | { type: 'api'; id: string };

export const SYSTEM: Actor = { type: 'system' };

export interface ActivityEntry {
  action: string;
  subjectType: string;
  subjectId: string;
  actor: Actor;
  description?: string;
  properties?: Record<string, unknown>;
}

/** Writes an activity_logs row; flushed with `em`, so it commits with the change it records. */
export function recordActivity(em: EntityManager, entry: ActivityEntry): ActivityLog {
  return em.create(ActivityLog, {
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    actorType: entry.actor.type as ActorType,
    actorId: entry.actor.type === 'system' ? null : entry.actor.id,
    description: entry.description ?? '',
    properties: entry.properties ?? {},
  });
}

/** The same entry as an activity_logs row, for a WriteBatch (the payment webhook's one-statement writes). */
export function activityLogRow(entry: ActivityEntry, now: Date): Record<string, unknown> {
  return {
    action: entry.action,
    subject_type: entry.subjectType,
    subject_id: entry.subjectId,
    actor_type: entry.actor.type,
    actor_id: entry.actor.type === 'system' ? null : entry.actor.id,
    description: entry.description ?? '',
    properties: entry.properties ?? {},
    created_at: now,
  };
}
