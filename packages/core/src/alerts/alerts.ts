import { randomUUID } from 'node:crypto';
import type { AlertSeverity } from '@handover/contracts';
import { AdminAlert, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WriteBatch } from '../database/writeBatch';
import { NotFoundError } from '../errors';

export interface AlertInput {
  /** Seed 000's types: `fulfillment_failure`, `low_inventory`, `rollback_failure`, ... */
  type: string;
  severity?: AlertSeverity;
  message: string;
  subjectType?: string;
  subjectId?: string;
  data?: Record<string, unknown>;
  /** While an unacknowledged alert has this key, raising it again adds nothing. */
  dedupeKey?: string;
}

/** Raises an admin alert in `em`'s transaction; returns null when an open alert already says the same. */
export async function raiseAlert(em: EntityManager, input: AlertInput): Promise<AdminAlert | null> {
  if (input.dedupeKey) {
    const open = await em.count(AdminAlert, { dedupeKey: input.dedupeKey, acknowledgedAt: null });
    if (open > 0) return null;
  }
  return em.create(AdminAlert, {
    type: input.type,
    severity: input.severity ?? 'warning',
    message: input.message,
    subjectType: input.subjectType ?? null,
    subjectId: input.subjectId ?? null,
    data: input.data ?? {},
    dedupeKey: input.dedupeKey ?? null,
  });
}

/**
 * The same alert as a row of a WriteBatch; with a dedupe key it is added only while no open
 * alert has that key.
 */
export function raiseAlertIn(batch: WriteBatch, input: AlertInput, now: Date): void {
  batch.write(
    `insert into admin_alerts (id, type, severity, message, subject_type, subject_id, data, dedupe_key, created_at)
     select ?, ?, ?, ?, ?, ?, ?::jsonb, ?::text, ?
      where ?::text is null
         or not exists (select 1 from admin_alerts where dedupe_key = ? and acknowledged_at is null)
     returning 1`,
    [
      randomUUID(),
      input.type,
      input.severity ?? 'warning',
      input.message,
      input.subjectType ?? null,
      input.subjectId ?? null,
      JSON.stringify(input.data ?? {}),
      input.dedupeKey ?? null,
      now,
      input.dedupeKey ?? null,
      input.dedupeKey ?? null,
    ],
  );
}

export async function acknowledgeAlert(
  em: EntityManager,
  alertId: string,
  userId: string,
  now: Date,
): Promise<AdminAlert> {
  const alert = await em.findOne(AdminAlert, { id: alertId });
  if (!alert) throw new NotFoundError('That alert does not exist');
  if (!alert.acknowledgedAt) {
    alert.acknowledgedAt = now;
    alert.acknowledgedBy = em.getReference(User, userId);
    await em.flush();
  }
  return alert;
}
