import type { AlertSeverity } from '@handover/contracts';
import { AdminAlert } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { redact } from '../security/redact';

export interface AlertFilter {
  type?: string;
  severity?: AlertSeverity;
  /** Open (unacknowledged) alerts only. */
  open?: boolean;
}

/** Admin alerts newest first; a small table, so counted exactly. */
export async function listAlerts(em: EntityManager, filter: AlertFilter, page: { limit: number; offset: number }) {
  const [alerts, total] = await em.findAndCount(
    AdminAlert,
    {
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.severity ? { severity: filter.severity } : {}),
      ...(filter.open === true ? { acknowledgedAt: null } : {}),
      ...(filter.open === false ? { acknowledgedAt: { $ne: null } } : {}),
    },
    { orderBy: { createdAt: 'desc', id: 'asc' }, limit: page.limit, offset: page.offset },
  );
  return { items: alerts.map(toAlertRow), total };
}

export function toAlertRow(alert: AdminAlert) {
  return {
    id: alert.id,
    type: alert.type,
    severity: alert.severity,
    message: alert.message,
    subjectType: alert.subjectType ?? null,
    subjectId: alert.subjectId ?? null,
    data: redact(alert.data),
    acknowledgedAt: alert.acknowledgedAt ?? null,
    acknowledgedById: alert.acknowledgedBy?.id ?? null,
    /** Times the rule saw the condition while the alert was open, and when it last did. */
    occurrences: alert.occurrences,
    lastSeenAt: alert.lastSeenAt ?? null,
    /** When the condition cleared (or the undo succeeded, or ops decided): the alert is closed. */
    resolvedAt: alert.resolvedAt ?? null,
    createdAt: alert.createdAt,
  };
}

/** The alert types seen so far, for the filter. */
export async function listAlertTypes(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ type: string }[]>('select distinct type from admin_alerts order by type');
  return rows.map((row) => row.type);
}
