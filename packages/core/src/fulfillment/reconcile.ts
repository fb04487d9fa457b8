import type { FulfillmentStatus } from '@handover/contracts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { activityLogRow, SYSTEM } from '../activity/activity';
import { raiseAlertIn } from '../alerts/alerts';
import { WriteBatch } from '../database/writeBatch';
import { TransientError } from '../errors';
import { addJob, jobSpec } from '../jobs/addJob';
import type { ProviderStatus } from './adapter';
import { callLifecycle, type LifecycleDeps, loadRecordForLifecycle, logLifecycleRows } from './lifecycle';
import type { DriverRegistry } from './registry';

/** Delivered records the reconcile job asks about: their provider should still have them. */
const SYNCED_STATUSES = ['completed', 'active', 'suspended'] as const satisfies readonly FulfillmentStatus[];

/** What the provider should say of a record in each delivered status. */
const EXPECTED: Record<(typeof SYNCED_STATUSES)[number], readonly ProviderStatus['status'][]> = {
  completed: ['active', 'pending'],
  active: ['active'],
  suspended: ['suspended'],
};

export interface ReconcileSettings {
  /** A record is asked about at most this often. */
  intervalMs: number;
  /** Records queued by one run of the cron. */
  batchSize: number;
}

export const DEFAULT_RECONCILE_SETTINGS: ReconcileSettings = { intervalMs: 24 * 3_600_000, batchSize: 200 };

/**
 * The reconcile cron: the delivered records holding an external reference, whose driver can
 * ask its provider about them and that were not asked within the interval, least recently
 * asked first, each get a `sync_record` job. They are stamped as asked in the same
 * transaction, so the next run takes the next ones. Returns how many were queued.
 */
export async function queueDueSyncs(
  em: EntityManager,
  registry: DriverRegistry,
  now: Date,
  settings: ReconcileSettings = DEFAULT_RECONCILE_SETTINGS,
): Promise<number> {
  const drivers = registry
    .list()
    .filter((adapter) => adapter.syncStatus)
    .map((adapter) => adapter.driver);
  if (drivers.length === 0) return 0;
  return em.transactional(async (tem) => {
    const due = await tem.execute<{ id: string }[]>(
      `update fulfillment_records set last_synced_at = ?
        where id in (
          select id from fulfillment_records
           where external_reference_id is not null
             and status in (${SYNCED_STATUSES.map(() => '?').join(', ')})
             and driver in (${drivers.map(() => '?').join(', ')})
             and (last_synced_at is null or last_synced_at < ?)
           order by last_synced_at nulls first
           limit ? for update skip locked)
        returning id`,
      [now, ...SYNCED_STATUSES, ...drivers, new Date(now.getTime() - settings.intervalMs), settings.batchSize],
    );
    for (const { id } of due) await addJob(tem, jobSpec('sync_record', { recordId: id }));
    return due.length;
  });
}

export type SyncOutcome = 'in_step' | 'drifted' | 'failed' | 'skipped';

/**
 * Asks the record's provider about it (the driver's `syncStatus`) and logs the answer. When the
 * provider's state is not what the record says (a delivered domain's order gone, a tenant
 * suspended that we think active), ops are alerted; the record is left as it is for a person to
 * judge. A transient failure is thrown for the job to retry; any other is logged.
 */
export async function syncRecord(
  deps: LifecycleDeps,
  recordId: string,
  { attempt }: { attempt: number },
): Promise<SyncOutcome> {
  const loaded = await loadRecordForLifecycle(deps, recordId);
  const sync = loaded?.adapter.syncStatus;
  if (!loaded || !sync || !(SYNCED_STATUSES as readonly string[]).includes(loaded.record.status)) return 'skipped';
  const { em, record, order } = loaded;
  const status = record.status as (typeof SYNCED_STATUSES)[number];
  const outcome = await callLifecycle(deps, loaded, 'sync_status', attempt, (ctx) => sync.call(loaded.adapter, ctx));
  const now = deps.clock.now();
  const batch = new WriteBatch();
  if (!outcome.ok && outcome.error instanceof TransientError) {
    logLifecycleRows(batch, loaded, 'sync_status', attempt, now, { calls: outcome.calls });
    await batch.execute(em);
    throw outcome.error;
  }

  const drift = outcome.ok && !EXPECTED[status].includes(outcome.value.status) ? outcome.value : null;
  if (!outcome.ok) {
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    logLifecycleRows(batch, loaded, 'sync_status', attempt, now, {
      calls: outcome.calls,
      entry: { kind: 'sync', status: 'failed', errorMessage: message },
    });
  } else {
    const said = `${outcome.value.status}${outcome.value.message ? `: ${outcome.value.message}` : ''}`;
    logLifecycleRows(batch, loaded, 'sync_status', attempt, now, {
      calls: outcome.calls,
      entry: {
        kind: 'sync',
        status: drift ? 'failed' : 'success',
        errorMessage: drift ? `The record is ${status}; the provider says ${said}` : `The provider says ${said}`,
        apiResponse: outcome.value.details ?? null,
      },
    });
    if (drift) {
      batch.insert('activity_logs', [
        activityLogRow(
          {
            action: 'fulfillment.provider_drift',
            subjectType: 'fulfillment_record',
            subjectId: record.id,
            actor: SYSTEM,
            description: `The provider says ${said}`,
            properties: { status, provider: drift.status, orderId: order.id, driver: record.driver },
          },
          now,
        ),
      ]);
      raiseAlertIn(
        batch,
        {
          type: 'provider_drift',
          severity: drift.status === 'pending' ? 'warning' : 'critical',
          message: `Order ${order.orderCode}: ${record.subject ?? record.driver} is ${status} here, but the provider says ${said}. Check it at the provider.`,
          subjectType: 'fulfillment_record',
          subjectId: record.id,
          data: { orderId: order.id, driver: record.driver, provider: drift.status },
          dedupeKey: `provider_drift:${record.id}`,
        },
        now,
      );
    }
  }
  await batch.execute(em);
  return !outcome.ok ? 'failed' : drift ? 'drifted' : 'in_step';
}
