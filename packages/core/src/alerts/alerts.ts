import type { AlertSeverity } from '@handover/contracts';
import { AdminAlert, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
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
