import { randomUUID } from 'node:crypto';
import type { AlertEventKind, AlertSeverity } from '@handover/contracts';
import { AdminAlert, AdminAlertEvent, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WriteBatch } from '../database/writeBatch';
import { NotFoundError } from '../errors';
import { addJob, jobSpec } from '../jobs/addJob';

export interface AlertInput {
  /** Seed 000's types: `fulfillment_failure`, `low_inventory`, `rollback_failure`, ... */
  type: string;
  severity?: AlertSeverity;
  message: string;
  subjectType?: string;
  subjectId?: string;
  data?: Record<string, unknown>;
  /** While an open alert has this key, raising it again adds none: the open one is seen again. */
  dedupeKey?: string;
  /** The rule (alerts/rules.ts) that resolves it when its condition clears; none for a one-off. */
  rule?: string;
}

/**
 * Raises an admin alert in `em`'s transaction, and has ops told of it (deliver_alerts). With a
 * dedupe key and an open alert under it, that alert is seen again instead: its message and
 * severity become the newest, and a changed message is kept in its history. Returns the alert.
 */
export async function raiseAlert(em: EntityManager, input: AlertInput): Promise<AdminAlert> {
  const now = new Date();
  if (input.dedupeKey) {
    const open = await em.findOne(AdminAlert, { dedupeKey: input.dedupeKey, resolvedAt: null });
    if (open) {
      if (open.message !== input.message) {
        em.create(AdminAlertEvent, { alert: open, kind: 'repeated', detail: input.message, createdAt: now });
      }
      Object.assign(open, {
        message: input.message,
        severity: input.severity ?? open.severity,
        data: input.data ?? open.data,
        rule: open.rule ?? input.rule ?? null,
        lastSeenAt: now,
        occurrences: open.occurrences + 1,
      });
      return open;
    }
  }
  const alert = em.create(AdminAlert, {
    type: input.type,
    severity: input.severity ?? 'warning',
    message: input.message,
    subjectType: input.subjectType ?? null,
    subjectId: input.subjectId ?? null,
    data: input.data ?? {},
    dedupeKey: input.dedupeKey ?? null,
    rule: input.rule ?? null,
    lastSeenAt: now,
    occurrences: 1,
  });
  recordAlertEvent(em, alert, 'raised', input.message, now);
  await addJob(em, jobSpec('deliver_alerts', {}));
  return alert;
}

/**
 * The same alert as rows of a WriteBatch: with a dedupe key, it is added only while no open
 * alert has that key, and an open one is seen again.
 */
export function raiseAlertIn(batch: WriteBatch, input: AlertInput, now: Date): void {
  const key = input.dedupeKey ?? null;
  if (key) {
    batch.write(
      `update admin_alerts set last_seen_at = ?, occurrences = occurrences + 1, message = ?, severity = ?
        where dedupe_key = ? and resolved_at is null returning 1`,
      [now, input.message, input.severity ?? 'warning', key],
    );
  }
  const id = randomUUID();
  batch.write(
    `insert into admin_alerts (id, type, severity, message, subject_type, subject_id, data, dedupe_key, rule, last_seen_at, created_at)
     select ?, ?, ?, ?, ?, ?, ?::jsonb, ?::text, ?, ?, ?
      where ?::text is null
         or not exists (select 1 from admin_alerts where dedupe_key = ? and resolved_at is null)
     returning 1`,
    [
      id,
      input.type,
      input.severity ?? 'warning',
      input.message,
      input.subjectType ?? null,
      input.subjectId ?? null,
      JSON.stringify(input.data ?? {}),
      key,
      input.rule ?? null,
      now,
      now,
      key,
      key,
    ],
  );
  // Its history starts with its raising, under the same condition (one snapshot: both or neither).
  batch.write(
    `insert into admin_alert_events (alert_id, kind, detail, created_at)
     select ?, 'raised', ?, ?
      where ?::text is null
         or not exists (select 1 from admin_alerts where dedupe_key = ? and resolved_at is null)
     returning 1`,
    [id, input.message, now, key, key],
  );
  batch.jobs([jobSpec('deliver_alerts', {})]);
}

/**
 * Resolves the open alert under `dedupeKey` (its condition cleared: stock arrived, an undo
 * finished), and has ops told. Returns whether one was open.
 */
export async function resolveAlert(em: EntityManager, dedupeKey: string, now: Date, why: string): Promise<boolean> {
  const open = await em.findOne(AdminAlert, { dedupeKey, resolvedAt: null });
  if (!open) return false;
  markResolved(em, open, now, why);
  await addJob(em, jobSpec('deliver_alerts', {}));
  return true;
}

export function markResolved(em: EntityManager, alert: AdminAlert, now: Date, why: string): void {
  alert.resolvedAt = now;
  recordAlertEvent(em, alert, 'resolved', why, now);
}

export function recordAlertEvent(
  em: EntityManager,
  alert: AdminAlert,
  kind: AlertEventKind,
  detail: string,
  now: Date,
): AdminAlertEvent {
  return em.create(AdminAlertEvent, { alert, kind, detail, createdAt: now });
}

/**
 * A person has seen the alert. A one-off (no rule watches its condition) is resolved by it; a
 * rule's alert stays open until its condition clears, acknowledged.
 */
export async function acknowledgeAlert(
  em: EntityManager,
  alertId: string,
  userId: string,
  now: Date,
): Promise<AdminAlert> {
  const alert = await em.findOne(AdminAlert, { id: alertId });
  if (!alert) throw new NotFoundError('That alert does not exist');
  if (!alert.acknowledgedAt) {
    const user = await em.findOne(User, { id: userId });
    alert.acknowledgedAt = now;
    alert.acknowledgedBy = em.getReference(User, userId);
    recordAlertEvent(em, alert, 'acknowledged', `by ${user?.email ?? userId}`, now);
    if (!alert.rule && !alert.resolvedAt) markResolved(em, alert, now, 'acknowledged');
    await em.flush();
  }
  return alert;
}
