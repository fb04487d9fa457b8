import { ActivityLog, type ActorType } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface ActivityEntry {
  /** `subject.verb`, e.g. `user.role_changed`, `order.approved`. */
  action: string;
  subjectType: string;
  subjectId: string;
  actorType: ActorType;
  actorId?: string | null;
  description?: string;
  /** Already free of secrets: this is shown in the back office. */
  properties?: Record<string, unknown>;
}

/** Writes one activity_logs row. Flushed with `em`, so it commits with the change it records. */
export function recordActivity(em: EntityManager, entry: ActivityEntry): ActivityLog {
  return em.create(ActivityLog, {
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    actorType: entry.actorType,
    actorId: entry.actorId ?? null,
    description: entry.description ?? '',
    properties: entry.properties ?? {},
  });
}
