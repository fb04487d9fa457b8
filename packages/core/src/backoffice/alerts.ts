import type { AlertSeverity } from '@handover/contracts';
import { AdminAlert, AdminAlertEvent } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../errors';
import { redact } from '../security/redact';

/** Where an alert stands: open (nobody has seen it), acknowledged (seen, still holds), resolved. */
export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
/** The list's state filter: a state, or every alert not resolved yet (open or acknowledged). */
export const ALERT_STATE_FILTERS = [...ALERT_STATES, 'unresolved'] as const;

export interface AlertFilter {
  type?: string;
  severity?: AlertSeverity;
  /** Open (unacknowledged) alerts only. */
  open?: boolean;
  state?: (typeof ALERT_STATE_FILTERS)[number];
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
      ...(filter.state === 'open' ? { acknowledgedAt: null, resolvedAt: null } : {}),
      ...(filter.state === 'acknowledged' ? { acknowledgedAt: { $ne: null }, resolvedAt: null } : {}),
      ...(filter.state === 'resolved' ? { resolvedAt: { $ne: null } } : {}),
      ...(filter.state === 'unresolved' ? { resolvedAt: null } : {}),
    },
    { orderBy: { createdAt: 'desc', id: 'asc' }, limit: page.limit, offset: page.offset },
  );
  return { items: alerts.map(toAlertRow), total };
}

export function alertState(alert: Pick<AdminAlert, 'acknowledgedAt' | 'resolvedAt'>): AlertState {
  if (alert.resolvedAt) return 'resolved';
  return alert.acknowledgedAt ? 'acknowledged' : 'open';
}

export function toAlertRow(alert: AdminAlert) {
  return {
    id: alert.id,
    state: alertState(alert),
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
    /** When ops were first told of it (email, webhook), and told of its resolution. */
    notifiedAt: alert.notifiedAt ?? null,
    resolutionNotifiedAt: alert.resolutionNotifiedAt ?? null,
    createdAt: alert.createdAt,
  };
}

/**
 * One alert with its history, oldest first: raised, seen again with a new message, told to ops
 * (and where), acknowledged, resolved and why. An alert from before its raising was recorded
 * starts at its creation. `occurrences` counts every time the rule saw the condition while open.
 */
export async function getAlertWithHistory(em: EntityManager, alertId: string) {
  const alert = await em.findOne(AdminAlert, { id: alertId });
  if (!alert) throw new NotFoundError('That alert does not exist');
  const events = await em.find(AdminAlertEvent, { alert: alertId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const history = events.map((event) => ({
    id: Number(event.id),
    kind: event.kind,
    detail: event.detail,
    at: event.createdAt,
  }));
  if (!history.some((event) => event.kind === 'raised')) {
    history.unshift({ id: 0, kind: 'raised', detail: alert.message, at: alert.createdAt });
  }
  return { ...toAlertRow(alert), history };
}

/** The alert types seen so far, for the filter. */
export async function listAlertTypes(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ type: string }[]>('select distinct type from admin_alerts order by type');
  return rows.map((row) => row.type);
}
