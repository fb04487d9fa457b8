import { timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import client from 'prom-client';
import { onProviderCall } from '../providers/providerCalls';
import { readOperationalGauges } from './operationalGauges';

/**
 * One process's Prometheus metrics (prom-client), with its own registry. Every metric is made
 * here, so the names and labels are in one place; the apps feed them (the server its HTTP
 * routes and webhooks, the worker its jobs) and serve them on a separate port or behind a token.
 */
export interface Metrics {
  registry: client.Registry;
  /** HTTP latency by route (the route's pattern, never the raw URL), method and status. */
  httpDuration: client.Histogram<'method' | 'route' | 'status_code'>;
  /** Payment webhooks by gateway and outcome (processed, duplicate, rejected, ...). */
  webhooks: client.Counter<'gateway' | 'outcome'>;
  /** Jobs this process finished, by task and outcome (`success`, `error`, `failed` for good). */
  jobsRun: client.Counter<'task' | 'outcome'>;
  /** Emails and texts sent again after a send whose outcome was not recorded (a crash): counted, not assumed away. */
  outboxResends: client.Counter<'channel'>;
  /** This process's circuit breaker per vendor: 0 closed, 1 open, 2 half-open. */
  circuitState: client.Gauge<'vendor'>;
}

export function createMetrics(app: 'server' | 'worker'): Metrics {
  const registry = new client.Registry();
  registry.setDefaultLabels({ app });
  client.collectDefaultMetrics({ register: registry, prefix: 'handover_process_' });
  const providerDuration = new client.Histogram({
    name: 'handover_provider_call_duration_seconds',
    help: 'Calls to vendors and gateways, by vendor and outcome (ok, error)',
    labelNames: ['vendor', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const providerErrors = new client.Counter({
    name: 'handover_provider_call_errors_total',
    help: 'Failed calls to vendors and gateways, by vendor and kind (http status class, timeout, network)',
    labelNames: ['vendor', 'kind'] as const,
    registers: [registry],
  });
  onProviderCall((call) => {
    const outcome = call.error ? 'error' : 'ok';
    providerDuration.observe({ vendor: call.provider, outcome }, call.durationMs / 1000);
    if (call.error) providerErrors.inc({ vendor: call.provider, kind: errorKind(call.httpStatus, call.error) });
  });
  return {
    registry,
    httpDuration: new client.Histogram({
      name: 'handover_http_request_duration_seconds',
      help: 'HTTP requests by route pattern, method and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    webhooks: new client.Counter({
      name: 'handover_webhooks_total',
      help: 'Payment webhooks by gateway and outcome',
      labelNames: ['gateway', 'outcome'] as const,
      registers: [registry],
    }),
    jobsRun: new client.Counter({
      name: 'handover_jobs_run_total',
      help: 'Jobs this process ran, by task and outcome (success, error: to be retried, failed: out of attempts)',
      labelNames: ['task', 'outcome'] as const,
      registers: [registry],
    }),
    outboxResends: new client.Counter({
      name: 'handover_outbox_resends_total',
      help: 'Messages sent again after an attempt whose outcome was never recorded (a possible duplicate)',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    circuitState: new client.Gauge({
      name: 'handover_provider_circuit_state',
      help: "This process's circuit breaker per vendor: 0 closed, 1 open, 2 half-open",
      labelNames: ['vendor'] as const,
      registers: [registry],
    }),
  };
}

function errorKind(httpStatus: number | null, error: string): string {
  if (httpStatus !== null) return `http_${Math.floor(httpStatus / 100)}xx`;
  if (/did not answer|timed? ?out/i.test(error)) return 'timeout';
  if (/circuit|paused/i.test(error)) return 'circuit_open';
  return 'network';
}

/** Connections of a node-postgres pool: in use, idle, and callers waiting for one. */
export function observePgPool(metrics: Metrics, name: string, pool: pg.Pool): void {
  observeConnections(metrics, name, () => ({
    used: pool.totalCount - pool.idleCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  }));
}

/** The ORM's pool (knex's tarn pool), read through MikroORM's knex instance. */
export function observeOrmPool(metrics: Metrics, em: EntityManager): void {
  observeConnections(metrics, 'orm', () => {
    const pool = (
      em.getConnection().getKnex() as unknown as {
        client: { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } };
      }
    ).client.pool;
    return pool
      ? { used: pool.numUsed(), idle: pool.numFree(), waiting: pool.numPendingAcquires() }
      : { used: 0, idle: 0, waiting: 0 };
  });
}

const connectionSources = new WeakMap<client.Registry, Map<string, () => Record<string, number>>>();

function observeConnections(metrics: Metrics, name: string, read: () => Record<string, number>): void {
  let sources = connectionSources.get(metrics.registry);
  if (!sources) {
    const found = new Map<string, () => Record<string, number>>();
    sources = found;
    connectionSources.set(metrics.registry, found);
    new client.Gauge({
      name: 'handover_db_pool_connections',
      help: "Database connections of this process's pools, by pool and state (used, idle, waiting callers)",
      labelNames: ['pool', 'state'] as const,
      registers: [metrics.registry],
      collect() {
        this.reset();
        for (const [pool, source] of found) {
          for (const [state, value] of Object.entries(source())) this.set({ pool, state }, value);
        }
      },
    });
  }
  sources.set(name, read);
}

/**
 * The state of the whole installation read from the database at scrape time (the job queue, the
 * records, the outbox, stock, vendors, alerts): served by the server, once for every process. A
 * read is kept for `cacheMs` so that several scrapers cost one set of queries.
 */
export function observeOperationalGauges(metrics: Metrics, em: EntityManager, cacheMs = 5_000): void {
  let cached: { at: number; value: Promise<Awaited<ReturnType<typeof readOperationalGauges>>> } | null = null;
  const read = () => {
    if (!cached || Date.now() - cached.at > cacheMs) {
      const value = readOperationalGauges(em.fork());
      cached = { at: Date.now(), value };
      value.catch(() => {
        cached = null;
      });
    }
    return cached.value;
  };
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (g: client.Gauge<L>, gauges: Awaited<ReturnType<typeof readOperationalGauges>>) => void,
  ) =>
    new client.Gauge<L>({
      name,
      help,
      labelNames,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        fill(this, await read());
      },
    });
  gauge(
    'handover_jobs',
    'Jobs in the queue by task and state (queued, scheduled, running, failed)',
    ['task', 'state'],
    (g, s) => {
      for (const row of s.jobs) g.set({ task: row.task, state: row.state }, row.count);
    },
  );
  gauge(
    'handover_jobs_oldest_queued_age_seconds',
    'Age of the oldest job due and not yet taken, by task',
    ['task'],
    (g, s) => {
      for (const row of s.oldestQueued) g.set({ task: row.task }, row.ageSeconds);
    },
  );
  gauge('handover_fulfillment_records', 'Fulfillment records by status and driver', ['status', 'driver'], (g, s) => {
    for (const row of s.records) g.set({ status: row.status, driver: row.driver }, row.count);
  });
  gauge('handover_outbox_backlog', 'Messages waiting to be sent, by channel', ['channel'], (g, s) => {
    for (const row of s.outbox) g.set({ channel: row.channel }, row.pending);
  });
  gauge('handover_outbox_oldest_pending_age_seconds', 'Age of the oldest message waiting to be sent', [], (g, s) => {
    g.set(s.outboxOldestPendingSeconds);
  });
  gauge(
    'handover_outbox_possible_duplicates',
    'Messages sent more than once because an attempt was never recorded',
    ['channel'],
    (g, s) => {
      for (const row of s.outbox) g.set({ channel: row.channel }, row.possibleDuplicates);
    },
  );
  gauge(
    'handover_inventory_items',
    'Inventory items by pool and status (quarantined: held back after a failed rollback)',
    ['pool', 'status'],
    (g, s) => {
      for (const row of s.inventory) g.set({ pool: row.pool, status: row.status }, row.count);
    },
  );
  gauge(
    'handover_provider_circuit_open',
    'Worker processes whose circuit breaker for the vendor is open',
    ['vendor'],
    (g, s) => {
      for (const row of s.circuits) g.set({ vendor: row.vendor }, row.open);
    },
  );
  gauge(
    'handover_provider_rate_limit_waits',
    'Calls that waited for the vendor rate limit, since the limit was set',
    ['vendor'],
    (g, s) => {
      for (const row of s.rateLimits) g.set({ vendor: row.vendor }, row.waits);
    },
  );
  gauge('handover_alerts_open', 'Open alerts by type and severity', ['type', 'severity'], (g, s) => {
    for (const row of s.alerts) g.set({ type: row.type, severity: row.severity }, row.open);
  });
}

/**
 * Who may read `/metrics`: anyone reaching its own listener when no token is set; with a token,
 * only `Authorization: Bearer <token>`, compared in constant time.
 */
export function metricsAuthorized(header: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
