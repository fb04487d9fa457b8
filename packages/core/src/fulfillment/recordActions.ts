import { randomUUID } from 'node:crypto';
import { RecordAction } from '@handover/db';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, activityLogRow } from '../activity/activity';
import { ormSql } from '../database/sql';
import { WriteBatch } from '../database/writeBatch';
import { ConflictError, NotFoundError, PermanentError, TransientError } from '../errors';
import { publish } from '../events/publish';
import { jobSpec } from '../jobs/addJob';
import { callLifecycle, type LifecycleDeps, loadRecordForLifecycle, logLifecycleRows } from './lifecycle';
import type { DriverRegistry } from './registry';
import { loadRecordFacts, lockOrderOf, writeTransition } from './transitions';

export interface RequestedAction {
  actionId: string;
  recordId: string;
  action: string;
}

/**
 * Asks a delivered record's driver for one of its actions (seed 004: a customer reissuing their
 * eSIM): checked against the driver's action and the record's status, then a `record_actions`
 * row and its job in one transaction. `ownerId` limits it to the customer's own record (another's
 * is answered as missing); a second request while one is pending is refused.
 */
export async function requestRecordAction(
  em: EntityManager,
  registry: DriverRegistry,
  request: { recordId: string; action: string; actor: Actor; ownerId?: string; now: Date },
): Promise<RequestedAction> {
  try {
    return await em.transactional(async (tem) => {
      const sql = ormSql(tem);
      await lockOrderOf(sql, request.recordId);
      const record = await loadRecordFacts(sql, request.recordId);
      if (request.ownerId && record.userId !== request.ownerId) {
        throw new NotFoundError('No such delivery in your account.');
      }
      const definition = registry.has(record.driver)
        ? registry.get(record.driver).actions?.[request.action]
        : undefined;
      if (!definition) throw new NotFoundError(`${record.item} cannot be asked to ${request.action}.`);
      if (!definition.statuses.includes(record.status)) {
        throw new ConflictError(
          `${definition.label} is not possible while this is ${record.status.replaceAll('_', ' ')}.`,
        );
      }
      const actionId = randomUUID();
      await new WriteBatch()
        .insert('record_actions', [
          {
            id: actionId,
            record_id: record.recordId,
            action: request.action,
            input: {},
            status: 'pending',
            requested_by_type: request.actor.type,
            requested_by_id: request.actor.type === 'system' ? null : request.actor.id,
            created_at: request.now,
            updated_at: request.now,
          },
        ])
        .insert('activity_logs', [
          activityLogRow(
            {
              action: 'fulfillment.action_requested',
              subjectType: 'fulfillment_record',
              subjectId: record.recordId,
              actor: request.actor,
              description: definition.label,
              properties: { action: request.action, actionId, orderId: record.orderId },
            },
            request.now,
          ),
        ])
        .jobs([jobSpec('run_record_action', { actionId }, { newRow: true })])
        .execute(tem);
      return { actionId, recordId: record.recordId, action: request.action };
    });
  } catch (error) {
    // The one-pending index refused a second request (raised through the ORM or the batch's own statement).
    if (error instanceof UniqueConstraintViolationException || (error as { code?: unknown }).code === '23505') {
      throw new ConflictError('That is already under way; it takes a few seconds.');
    }
    throw error;
  }
}

export type ActionOutcome = 'succeeded' | 'failed' | 'skipped';

/**
 * Runs a requested action in the worker: the driver's action with the record's context, its
 * provider calls in the fulfillment log. Done: what it changed goes to the record (its result,
 * its external reference) through the record writer, and the customer is told. A transient
 * failure is thrown for the job to retry (until `lastAttempt`); anything else fails it, and the
 * customer and ops are told.
 */
export async function runRecordAction(
  deps: LifecycleDeps & { portalUrl: string },
  actionId: string,
  { attempt, lastAttempt }: { attempt: number; lastAttempt: boolean },
): Promise<ActionOutcome> {
  const request = await deps.em.fork().findOne(RecordAction, actionId);
  if (request?.status !== 'pending') return 'skipped';
  const loaded = await loadRecordForLifecycle(deps, request.record.id);
  const definition = loaded?.adapter.actions?.[request.action];
  const name = `${request.action}:${actionId}`;
  const outcome =
    loaded && definition
      ? await callLifecycle(deps, loaded, name, attempt, (ctx) =>
          // The request's own key, short enough for any vendor's (eSIM Access takes 64 characters).
          definition.run({ ...ctx, idempotencyKey: name, requestId: actionId }),
        )
      : {
          ok: false as const,
          calls: [],
          error: new PermanentError(`this worker cannot ${request.action} that record`, 'action_missing'),
        };
  const now = deps.clock.now();
  const logs = new WriteBatch();
  if (loaded) logLifecycleRows(logs, loaded, name, attempt, now, { calls: outcome.calls });
  if (!outcome.ok && outcome.error instanceof TransientError && !lastAttempt) {
    await logs.execute(deps.em.fork());
    throw outcome.error;
  }
  const actor: Actor =
    request.requestedByType === 'system' || !request.requestedById
      ? { type: 'system' }
      : { type: request.requestedByType, id: request.requestedById };
  await deps.em.fork().transactional(async (tem) => {
    const sql = ormSql(tem);
    await lockOrderOf(sql, request.record.id);
    const record = await loadRecordFacts(sql, request.record.id);
    if (outcome.ok) {
      const [current] = await sql.query<{ result: Record<string, unknown> }>(
        'select result from fulfillment_records where id = ?',
        [record.recordId],
      );
      logs
        .write(
          `update record_actions set status = 'succeeded', result = ?::jsonb, completed_at = ?, updated_at = ?
            where id = ? and status = 'pending' returning 1`,
          [JSON.stringify(outcome.value.result ?? {}), now, now, actionId],
        )
        .insert('activity_logs', [
          activityLogRow(
            {
              action: 'fulfillment.action_completed',
              subjectType: 'fulfillment_record',
              subjectId: record.recordId,
              actor,
              description: outcome.value.message,
              properties: { action: request.action, actionId, orderId: record.orderId },
            },
            now,
          ),
        ]);
      await writeTransition(sql, {
        record,
        from: record.status,
        to: record.status,
        by: actor.type === 'user' ? 'customer' : 'operator',
        actor,
        changes: {
          result: { ...(current?.result ?? {}), ...(outcome.value.result ?? {}) },
          ...outcome.value.external,
        },
        events: [
          { type: 'fulfillment.action_completed', record, action: request.action, message: outcome.value.message },
        ],
        extra: logs,
        now,
        portalUrl: deps.portalUrl,
      });
      return;
    }
    const error = outcome.error;
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof PermanentError || error instanceof TransientError ? error.code : 'unexpected_error';
    logs
      .write(
        `update record_actions set status = 'failed', error = ?, error_code = ?, completed_at = ?, updated_at = ?
          where id = ? and status = 'pending' returning 1`,
        [message, code, now, now, actionId],
      )
      .insert('activity_logs', [
        activityLogRow(
          {
            action: 'fulfillment.action_failed',
            subjectType: 'fulfillment_record',
            subjectId: record.recordId,
            actor,
            description: message,
            properties: { action: request.action, actionId, code, orderId: record.orderId },
          },
          now,
        ),
      ]);
    publish(logs, [{ type: 'fulfillment.action_failed', record, action: request.action, reason: message, code }], {
      portalUrl: deps.portalUrl,
      now,
    });
    await logs.execute(tem);
  });
  return outcome.ok ? 'succeeded' : 'failed';
}
