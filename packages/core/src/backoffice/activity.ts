import type { ActorType } from '@handover/contracts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { redact } from '../security/redact';
import { Conditions, type KeysetOptions, type KeysetPage, keysetPage } from './sql';

export interface ActivityFilter {
  /** An action, or its prefix with a dot: `fulfillment.` finds every fulfillment action. */
  action?: string;
  subjectType?: string;
  subjectId?: string;
  actorId?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

export interface ActivityRow {
  id: number;
  action: string;
  description: string;
  subjectType: string;
  subjectId: string;
  actorType: ActorType;
  actorId: string | null;
  actorEmail: string | null;
  properties: Record<string, unknown>;
  createdAt: Date;
}

interface Row {
  id: string;
  cursor_at: string;
  action: string;
  description: string;
  subject_type: string;
  subject_id: string;
  actor_type: ActorType;
  actor_id: string | null;
  actor_email: string | null;
  properties: Record<string, unknown>;
  created_at: Date;
}

/** The activity list's filter as SQL over `activity_logs a` (shared by the list, its totals and export). */
export function activityConditions(filter: ActivityFilter): Conditions {
  const where = new Conditions()
    .when(filter.subjectType, 'a.subject_type = ?')
    .when(filter.subjectId, 'a.subject_id = ?')
    .when(filter.actorId, 'a.actor_id = ?')
    .when(filter.createdFrom, 'a.created_at >= ?')
    .when(filter.createdTo, 'a.created_at <= ?');
  const action = filter.action?.trim();
  if (action?.endsWith('.')) where.add('a.action like ?', `${action.replace(/[\\%_]/g, '\\$&')}%`);
  else if (action) where.add('a.action = ?', action);
  return where;
}

/** The activity log, newest first, with the acting user's email. */
export async function listActivity(
  em: EntityManager,
  filter: ActivityFilter,
  page: KeysetOptions,
): Promise<KeysetPage<ActivityRow>> {
  const where = activityConditions(filter);
  const { rows, ...rest } = await keysetPage<Row>(
    em,
    {
      columns: `a.id, a.action, a.description, a.subject_type, a.subject_id, a.actor_type, a.actor_id,
                u.email as actor_email, a.properties, a.created_at`,
      from: `activity_logs a left join users u on a.actor_type = 'user' and u.id::text = a.actor_id`,
      alias: 'a',
      where,
      idKind: 'bigint',
    },
    page,
  );
  return {
    ...rest,
    items: rows.map((row) => ({
      id: Number(row.id),
      action: row.action,
      description: row.description,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      actorType: row.actor_type,
      actorId: row.actor_id,
      actorEmail: row.actor_email,
      properties: redact(row.properties),
      createdAt: new Date(row.created_at),
    })),
  };
}
