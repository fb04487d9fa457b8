import {
  ALERT_RULES,
  DEFAULT_ALERT_THRESHOLDS,
  DriverRegistry,
  evaluateAlertRules,
  getDashboard,
  parseEncryptionKeys,
  returnRateLimitToken,
  SecretBox,
  TransientError,
  takeRateLimitToken,
  VENDOR_PAUSED_REASON,
} from '@handover/core';
import { AdminAlert, FulfillmentRecord } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { buildDrivers, createVendorGuard } from '@handover/integrations';
import { type Stack, startStack } from '@handover/scripts/stack';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, stockPool, until } from './support/fixtures';
import { createM365DomainProduct, m365OrderForm } from './support/m365';

/**
 * Toward providers: an outage of a vendor holds its records waiting instead of spending
 * their attempts (a circuit breaker per vendor in each worker, visible in provider_circuits, the
 * metrics and the circuit_open alert), and a vendor's rate limit is shared by every process.
 * The real worker runs against the sandbox's PlugSaaS with every call failing.
 */
describe("a vendor's circuit breaker", () => {
  const db = useTestDatabase();
  let stack: Stack;
  let registry: DriverRegistry;
  const em = () => db.orm.em.fork();
  const sandbox = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${stack.sandboxUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const plugsaasCalls = async () => {
    const calls = (await (await sandbox('/_control/calls?emulator=plugsaas')).json()) as {
      plugsaas?: { endpoints: Record<string, number> };
    };
    return Object.values(calls.plugsaas?.endpoints ?? {}).reduce((sum, n) => sum + n, 0);
  };
  const circuits = () =>
    em().execute<{ state: string; last_error: string | null }[]>(
      `select state, last_error from provider_circuits where vendor = 'plugsaas'`,
    );
  const circuitAlert = () => evaluateAlertRules(em(), DEFAULT_ALERT_THRESHOLDS, new Date(), circuitRule);
  const circuitRule = ALERT_RULES.filter((rule) => rule.name === 'circuit_open');

  beforeAll(async () => {
    stack = await startStack({
      databaseUrl: db.url,
      // Two failures in a row open PlugSaaS's breaker; a probe goes through 1.5 s later.
      workerEnv: { PROVIDER_BREAKER_THRESHOLD: '2', PROVIDER_BREAKER_OPEN_MS: '1500' },
    });
    await stack.startWorker();
    registry = new DriverRegistry(buildDrivers(stack.vendorEnv, 'test'));
  });
  afterAll(() => stack?.stop());

  it('holds records waiting without spending their attempts while PlugSaaS is down, and completes them once it is back', async () => {
    await stockPool(em(), new SecretBox(parseEncryptionKeys(stack.keys.encryptionKeys)), 'outage-pool', 2);
    const product = await createM365DomainProduct(em(), {
      slug: 'outage',
      pool: 'outage-pool',
      // Three attempts: without the breaker the outage would fail both records well within the test.
      retryPolicy: { maxAttempts: 3, backoffSeconds: [0.2] },
    });
    await sandbox('/_control/faults/plugsaas', 'PUT', { errorRate: 1, statusCode: 503 });
    const records = (
      await placeOrder(em(), registry, product, [m365OrderForm(['a.outage.example', 'b.outage.example'])])
    ).records.map((r) => r.id as string);
    expect(records).toHaveLength(2);

    // Each record is seen waiting on the paused vendor (between its probes it runs for a moment).
    const seenPaused = new Set<string>();
    await until(
      async () => {
        for (const r of await em().find(FulfillmentRecord, { id: { $in: records } })) {
          if (r.status === 'awaiting_provider' && r.statusReason === VENDOR_PAUSED_REASON) seenPaused.add(r.id);
        }
        return seenPaused.size === records.length;
      },
      { timeoutMs: 20_000, what: 'both records waiting on the paused vendor' },
    );
    expect((await circuits())[0]).toMatchObject({ state: expect.stringMatching(/open/) });
    expect((await circuits())[0]?.last_error).toContain('503');
    const metrics = await (
      await fetch(`${stack.workerOpsUrl('worker')}/metrics`, {
        headers: { authorization: `Bearer ${stack.keys.metricsToken}` },
      })
    ).text();
    expect(metrics).toMatch(/handover_provider_circuit_state\{vendor="plugsaas"[^}]*\} [12]/);
    // The back office's dashboard shows the paused vendor and its shared limit.
    expect((await getDashboard(em(), new Date())).vendors).toContainEqual(
      expect.objectContaining({ vendor: 'plugsaas', open: 1, processes: 1, perSecond: 20 }),
    );
    expect((await circuitAlert()).raised).toEqual(['circuit_open:plugsaas']);
    const [alert] = await em().find(AdminAlert, { type: 'circuit_open', subjectId: 'plugsaas' });
    expect(alert?.message).toContain('Calls to plugsaas are paused');

    // Six seconds of outage: only the breaker's probes reach PlugSaaS, and no record fails or
    // spends its last attempt.
    const before = await plugsaasCalls();
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect((await plugsaasCalls()) - before).toBeLessThanOrEqual(8);
    for (const record of await em().find(FulfillmentRecord, { id: { $in: records } })) {
      expect(['awaiting_provider', 'processing']).toContain(record.status);
      expect(record.attempts).toBeLessThan(3);
    }

    await sandbox('/_control/faults/plugsaas', 'DELETE');
    await until(
      async () => (await em().find(FulfillmentRecord, { id: { $in: records } })).every((r) => r.status === 'completed'),
      { timeoutMs: 30_000, what: 'both records completed once PlugSaaS is back' },
    );
    expect((await circuits())[0]?.state).toBe('closed');
    expect((await circuitAlert()).resolved).toEqual(['circuit_open:plugsaas']);
  });
});

describe("a vendor's rate limit, shared by every process", () => {
  const db = useTestDatabase();
  const pools: pg.Pool[] = [];
  const pool = () => {
    const p = new pg.Pool({ connectionString: db.url, max: 4 });
    pools.push(p);
    return p;
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
  });

  it('gives out a burst at once, then one turn per 1/rate seconds across processes', async () => {
    const [a, b] = [pool(), pool()];
    const limit = { perSecond: 5, burst: 5 };
    const waits = await Promise.all(
      Array.from({ length: 20 }, (_, i) => takeRateLimitToken(i % 2 ? a : b, 'bucket-test', limit)),
    );
    waits.sort((x, y) => x - y);
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
    // The 15 others queue 200 ms apart: the last waits about 3 s.
    expect(waits[19]).toBeGreaterThan(2_700);
    expect(waits[19]).toBeLessThanOrEqual(3_000);
    for (let i = 6; i < 20; i++) expect((waits[i] ?? 0) - (waits[i - 1] ?? 0)).toBeLessThan(260);
    const [row] = (await a.query(`select waits::int as waits from provider_rate_limits where vendor = 'bucket-test'`))
      .rows as { waits: number }[];
    expect(row?.waits).toBe(15);
  });

  it("paces two processes' calls together, and refuses a call whose turn is too far off", async () => {
    const limit = { perSecond: 4, burst: 2 };
    const started: number[] = [];
    const guardOf = (p: pg.Pool) =>
      createVendorGuard({
        breakerThreshold: 5,
        breakerOpenMs: 30_000,
        maxWaitMs: 5_000,
        limitOf: () => limit,
        takeToken: (vendor, l) => takeRateLimitToken(p, vendor, l),
        returnToken: (vendor) => returnRateLimitToken(p, vendor),
        onStateChange: () => {},
      });
    const [one, two] = [guardOf(pool()), guardOf(pool())];
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? one : two).call('paced', async () => {
          started.push(Date.now() - t0);
        }),
      ),
    );
    started.sort((x, y) => x - y);
    // Two at once, then eight more at 4/s: the last starts about 2 s in, never before.
    expect(started[9]).toBeGreaterThanOrEqual(1_900);
    expect(started[9]).toBeLessThan(4_000);

    // A third process with a shorter patience: the bucket is 20 calls deep, so it is refused at once.
    const impatient = createVendorGuard({
      breakerThreshold: 5,
      breakerOpenMs: 30_000,
      maxWaitMs: 1_000,
      limitOf: () => limit,
      takeToken: (vendor, l) => takeRateLimitToken(pools[0] as pg.Pool, vendor, l),
      returnToken: (vendor) => returnRateLimitToken(pools[0] as pg.Pool, vendor),
      onStateChange: () => {},
    });
    await Promise.all(Array.from({ length: 20 }, () => takeRateLimitToken(pools[0] as pg.Pool, 'deep', limit)));
    let ran = false;
    const refused = await impatient
      .call('deep', async () => {
        ran = true;
      })
      .catch((error: unknown) => error);
    expect(ran).toBe(false);
    expect(refused).toBeInstanceOf(TransientError);
    expect(refused).toMatchObject({ code: 'vendor_rate_limit' });
    expect((refused as TransientError).options.retryAfterMs).toBeGreaterThan(1_000);
  });
});
