import type { AlertSeverity } from '@handover/contracts';
import { AdminAlert } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { markResolved, raiseAlert } from './alerts';

/** The thresholds the rules hold conditions to; the worker reads them from its settings. */
export interface AlertThresholds {
  /** The window failure rates and webhook rejections are counted over. */
  windowMinutes: number;
  /** A driver's share of failed records among those finished in the window, from 0 to 1. */
  failureRate: number;
  /** ... counted only once at least this many failed in the window. */
  failureMinRecords: number;
  /** The oldest job due and not yet taken, in seconds. */
  oldestJobSeconds: number;
  /** Rejected payment webhooks (forged, unsigned, expired) per gateway in the window. */
  webhookRejections: number;
}

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  windowMinutes: 15,
  failureRate: 0.25,
  failureMinRecords: 3,
  oldestJobSeconds: 300,
  webhookRejections: 10,
};

/** A condition that holds now: one open alert per key while it does. */
interface Condition {
  key: string;
  type: string;
  severity: AlertSeverity;
  message: string;
  subjectType?: string;
  subjectId?: string;
  data?: Record<string, unknown>;
}

interface Rule {
  name: string;
  conditions(em: EntityManager, t: AlertThresholds, now: Date): Promise<Condition[]>;
}

/**
 * The rules, each a query: what holds now raises (or keeps) its alert; an open alert of the rule
 * whose condition no longer holds is resolved. docs/runbook.md says what each means and what to do.
 */
export const ALERT_RULES: readonly Rule[] = [
  {
    name: 'driver_failure_rate',
    async conditions(em, t, now) {
      const from = since(now, t);
      const rows = await em.execute<{ driver: string; failed: number; finished: number }[]>(
        `select driver, count(*) filter (where failed_at >= ?)::int as failed,
                count(*) filter (where failed_at >= ? or completed_at >= ?)::int as finished
           from fulfillment_records where failed_at >= ? or completed_at >= ? group by driver`,
        [from, from, from, from, from],
      );
      return rows
        .filter((r) => r.failed >= t.failureMinRecords && r.failed / r.finished >= t.failureRate)
        .map((r) => ({
          key: `driver_failure_rate:${r.driver}`,
          type: 'driver_failure_rate',
          severity: 'critical',
          message: `${r.driver}: ${r.failed} of ${r.finished} records finished in the last ${t.windowMinutes} minutes failed (${percent(r.failed / r.finished)}, threshold ${percent(t.failureRate)}).`,
          subjectType: 'driver',
          subjectId: r.driver,
          data: { failed: r.failed, finished: r.finished },
        }));
    },
  },
  {
    name: 'queue_oldest_job',
    async conditions(em, t) {
      const [oldest] = await em.execute<{ task: string; age: number }[]>(
        `select t.identifier as task, extract(epoch from now() - j.run_at)::float8 as age
           from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
          where j.locked_at is null and j.run_at <= now() and j.attempts < j.max_attempts
          order by j.run_at limit 1`,
      );
      if (!oldest || oldest.age < t.oldestJobSeconds) return [];
      return [
        {
          key: 'queue_oldest_job',
          type: 'queue_oldest_job',
          severity: 'critical',
          message: `The oldest job waiting (${oldest.task}) has waited ${Math.round(oldest.age)} s (threshold ${t.oldestJobSeconds} s): workers are down, stuck or too few.`,
          data: { task: oldest.task, ageSeconds: Math.round(oldest.age) },
        },
      ];
    },
  },
  {
    name: 'webhook_rejections',
    async conditions(em, t, now) {
      const rows = await em.execute<{ gateway: string; n: number }[]>(
        `select gateway, count(*)::int as n from payment_events
          where status = 'rejected' and created_at >= ? group by gateway having count(*) >= ?`,
        [since(now, t), t.webhookRejections],
      );
      return rows.map((r) => ({
        key: `webhook_rejections:${r.gateway}`,
        type: 'webhook_rejections',
        severity: 'warning',
        message: `${r.n} ${r.gateway} webhooks were rejected (bad or missing signature, expired) in the last ${t.windowMinutes} minutes (threshold ${t.webhookRejections}).`,
        subjectType: 'payment_gateway',
        subjectId: r.gateway,
        data: { rejected: r.n },
      }));
    },
  },
  {
    name: 'inventory_quarantined',
    async conditions(em) {
      const rows = await em.execute<{ id: string; name: string; n: number }[]>(
        `select p.id, p.name, count(*)::int as n from inventory_items i join inventory_pools p on p.id = i.pool_id
          where i.status = 'quarantined' group by p.id, p.name`,
      );
      return rows.map((r) => ({
        key: `inventory_quarantined:${r.id}`,
        type: 'inventory_quarantined',
        severity: 'critical',
        message: `${r.n} item(s) of ${r.name} are quarantined: a rollback did not finish, so they are not given to customers until the undo succeeds or ops decide in Quarantine.`,
        subjectType: 'inventory_pool',
        subjectId: r.id,
        data: { quarantined: r.n },
      }));
    },
  },
  {
    name: 'low_inventory',
    async conditions(em) {
      const rows = await em.execute<{ id: string; name: string; threshold: number; available: number }[]>(
        `select p.id, p.name, p.low_stock_threshold as threshold,
                count(i.id) filter (where i.status = 'available')::int as available
           from inventory_pools p left join inventory_items i on i.pool_id = p.id
          group by p.id having count(i.id) filter (where i.status = 'available') < p.low_stock_threshold`,
      );
      return rows.map((r) => lowStockCondition(r));
    },
  },
  {
    name: 'circuit_open',
    async conditions(em) {
      const rows = await em.execute<{ vendor: string; nodes: number; last_error: string | null }[]>(
        `select c.vendor, count(*)::int as nodes, max(c.last_error) as last_error
           from provider_circuits c join worker_nodes n on n.id = c.node_id
          where c.state <> 'closed' group by c.vendor`,
      );
      return rows.map((r) => ({
        key: `circuit_open:${r.vendor}`,
        type: 'circuit_open',
        severity: 'critical',
        message: `Calls to ${r.vendor} are paused on ${r.nodes} worker process(es) after failing in a row${r.last_error ? ` (${r.last_error})` : ''}; its records wait instead of spending their attempts.`,
        subjectType: 'vendor',
        subjectId: r.vendor,
        data: { nodes: r.nodes },
      }));
    },
  },
];

/** Seed 000 "Monitor alerts (low inventory)", the same alert whether the rule or a reservation raises it. */
export function lowStockCondition(pool: { id: string; name: string; threshold: number; available: number }): Condition {
  return {
    key: `low_inventory:${pool.id}`,
    type: 'low_inventory',
    severity: pool.available === 0 ? 'critical' : 'warning',
    message:
      pool.available === 0
        ? `${pool.name} is empty: new orders wait until stock is added.`
        : `${pool.name} is running low: ${pool.available} left (threshold ${pool.threshold}).`,
    subjectType: 'inventory_pool',
    subjectId: pool.id,
    data: { available: pool.available, threshold: pool.threshold },
  };
}

export interface EvaluationResult {
  raised: string[];
  resolved: string[];
}

/**
 * Runs every rule in one transaction: each condition that holds raises its alert (or sees the
 * open one again), and each open alert of a rule whose condition cleared is resolved.
 */
export async function evaluateAlertRules(
  em: EntityManager,
  thresholds: AlertThresholds,
  now: Date,
  rules: readonly Rule[] = ALERT_RULES,
): Promise<EvaluationResult> {
  return em.transactional(async (tem) => {
    const result: EvaluationResult = { raised: [], resolved: [] };
    for (const rule of rules) {
      const holding = await rule.conditions(tem, thresholds, now);
      for (const condition of holding) {
        const alert = await raiseAlert(tem, { ...condition, dedupeKey: condition.key, rule: rule.name });
        if (alert.occurrences === 1) result.raised.push(condition.key);
      }
      const keys = new Set(holding.map((c) => c.key));
      const open = await tem.find(AdminAlert, { rule: rule.name, resolvedAt: null });
      for (const alert of open) {
        if (alert.dedupeKey && keys.has(alert.dedupeKey)) continue;
        markResolved(tem, alert, now, 'the condition cleared');
        result.resolved.push(alert.dedupeKey ?? alert.id);
      }
    }
    return result;
  });
}

function since(now: Date, t: AlertThresholds): Date {
  return new Date(now.getTime() - t.windowMinutes * 60_000);
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
