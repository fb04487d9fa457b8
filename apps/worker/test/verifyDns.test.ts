import {
  type DnsVerificationDeps,
  requestDnsCheck,
  verifyDomainNameservers,
  verifyDomainWhenDue,
  verifyDueDomains,
} from '@handover/core';
import {
  ActivityLog,
  AdminAlert,
  DnsCheck,
  FulfillmentLog,
  FulfillmentRecord,
  Notification,
  Order,
  OutboxMessage,
  type Product,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import {
  createM365DomainAdapter,
  createNameserverResolver,
  PlugsaasClient,
  UdpDnsResolver,
} from '@handover/integrations';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { placeOrder, runJob, stockPool, until } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';
import { createM365DomainProduct, m365OrderForm } from './support/m365';
import { startTestSandbox, type TestSandbox } from './support/sandbox';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('DNS verification (seed 000 phase 5)', () => {
  const db = useTestDatabase({ poolMax: 10 });
  let sandbox: TestSandbox;
  let worker: InProcessWorker;
  let product: Product;

  const em = () => db.orm.em.fork();
  const check = (recordId: string) => em().findOneOrFail(DnsCheck, { record: recordId });
  const record = (id: string) => em().findOneOrFail(FulfillmentRecord, { id });
  /** An order for `domains`, delivered (completed, nameservers handed out). */
  const deliver = async (domains: string[]) => {
    const placed = await placeOrder(em(), worker.registry, product, [m365OrderForm(domains)]);
    for (const { id } of placed.records) {
      await until(async () => (await record(id)).status === 'completed', { what: `record ${id} completed` });
    }
    const checks = await Promise.all(placed.records.map((r) => check(r.id)));
    return { ...placed, expected: checks.map((c) => c.expectedNameservers) };
  };
  /** The DNS services as the worker has them, at `offsetMs` from `base` on their clock. */
  const at = (base: number, offsetMs: number): DnsVerificationDeps => ({
    ...worker.deps.dns,
    clock: { now: () => new Date(base + offsetMs) },
  });

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    const client = new PlugsaasClient({
      baseUrl: sandbox.plugsaasEnv.PLUGSAAS_API_URL,
      apiKey: sandbox.plugsaasEnv.PLUGSAAS_API_KEY,
    });
    worker = await startInProcessWorker(db, [createM365DomainAdapter(client)], {
      resolver: createNameserverResolver({ kind: 'doh', url: sandbox.dohUrl, timeoutMs: 2_000 }),
    });
    await stockPool(em(), worker.secrets, 'dns-pool', 20);
    product = await createM365DomainProduct(em(), { slug: 'm365-dns', pool: 'dns-pool' });
  });
  afterAll(async () => {
    await worker?.stop();
    await sandbox?.close();
  });
  beforeEach(() => sandbox.reset());

  it('queues the next look for the moment it is due, so it is not left to the cron run after it', async () => {
    const { records } = await deliver(['on-time.com']);
    const id = records[0]?.id ?? '';
    const base = Date.now();
    // Looked at a moment after a cron run fired: the next look is due 5 minutes after the look,
    // a few milliseconds after the next cron run would fire.
    expect(await verifyDueDomains(at(base, 0))).toMatchObject({ unverified: 1 });
    const due = (await check(id)).nextCheckAt;
    expect(due.getTime()).toBe(base + 5 * MINUTE);
    const [job] = await em().execute<{ run_at: string; payload: unknown }[]>(
      `select j.run_at::text as run_at, j.payload from graphile_worker._private_jobs j
         join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier = 'verify_dns' and j.key = ?`,
      [`verify_dns:${id}`],
    );
    expect(job?.payload).toEqual({ recordId: id, whenDue: true });
    expect(new Date(job?.run_at ?? 0).getTime()).toBe(due.getTime());

    // Run early (a clock behind), it leaves the domain alone; at its time, it looks.
    expect(await verifyDomainWhenDue(at(base, 5 * MINUTE - 1), id)).toBe('skipped');
    expect(await verifyDomainWhenDue(at(base, 5 * MINUTE), id)).toBe('unverified');
    expect(await check(id)).toMatchObject({ failedChecks: 2, lastCheckedAt: new Date(base + 5 * MINUTE) });
    // The cron run that fires meanwhile finds nothing due: the domain is not looked up twice.
    expect(await verifyDueDomains(at(base, 5 * MINUTE + 10))).toMatchObject({ unverified: 0 });
  });

  it('activates a domain once it points at every expected nameserver, and tells the customer', async () => {
    const { order, records, expected } = await deliver(['mybusiness.com']);
    const id = records[0]?.id ?? '';
    const nameservers = expected[0] ?? [];

    // The cron's run: nothing delegated yet.
    await runJob(em(), 'verify_dns', {});
    expect(await check(id)).toMatchObject({ status: 'pending_verification', failedChecks: 1, lastSeenNameservers: [] });
    expect((await em().findOneOrFail(Order, { id: order.id })).dnsLastChecked).toBeInstanceOf(Date);

    // Half moved: one of ours beside an old one is not enough.
    await sandbox.setNameservers('mybusiness.com', [nameservers[0] ?? '', 'ns1.old-registrar.net']);
    await runJob(em(), 'verify_dns', { recordId: id });
    expect(await check(id)).toMatchObject({ status: 'pending_verification', failedChecks: 2 });
    expect((await record(id)).status).toBe('completed');

    // All there (an extra one is fine); the cron leaves the domain alone until its next check is due.
    await sandbox.setNameservers('mybusiness.com', [...nameservers, 'ns3.extra-dns.net']);
    await runJob(em(), 'verify_dns', {});
    expect(await check(id)).toMatchObject({ status: 'pending_verification', failedChecks: 2 });

    // "Check now" does not wait for the backoff.
    await em().transactional((tem) => requestDnsCheck(tem, id));
    await until(async () => (await check(id)).status === 'verified', { what: 'the domain verified' });
    expect(await check(id)).toMatchObject({ failedChecks: 2 });
    const active = await record(id);
    expect(active.status).toBe('active');
    expect(active.result).toMatchObject({ domain: 'mybusiness.com', nameservers, dns_verified: true });
    const finished = await em().findOneOrFail(Order, { id: order.id });
    expect(finished).toMatchObject({
      dnsStatus: 'verified',
      fulfillmentStatus: 'active',
      nameservers: [{ domain: 'mybusiness.com', nameservers, dns_verified: true }],
      fulfillmentResults: [{ domain: 'mybusiness.com', status: 'active', dns_verified: true }],
    });
    expect(finished.dnsLastChecked).toBeInstanceOf(Date);

    const email = await em().findOneOrFail(OutboxMessage, { template: 'dns_verified', data: { recordId: id } });
    expect(email).toMatchObject({ recipient: 'customer@example.com', subject: 'mybusiness.com is active' });
    expect(email.body).toContain(`Every domain in order ${order.orderCode} is now active.`);
    expect(await em().count(Notification, { title: 'mybusiness.com is active' })).toBe(1);
    expect(await em().count(ActivityLog, { subjectId: id, action: 'fulfillment.active' })).toBe(1);
    const lookups = await em().find(FulfillmentLog, { record: id, kind: 'provider_call', step: 'verify_dns' });
    expect(lookups.map((l) => `${l.method} ${l.httpStatus} ${l.status}`)).toEqual([
      'GET 200 success',
      'GET 200 success',
      'GET 200 success',
    ]);
  });

  it('makes a multi-domain order active only when every one of its domains is verified', async () => {
    const { order, records, expected } = await deliver(['alpha-shop.com', 'beta-shop.com']);
    const [alpha, beta] = records.map((r) => r.id);
    await sandbox.setNameservers('alpha-shop.com', expected[0] ?? []);
    await runJob(em(), 'verify_dns', {});

    expect((await record(alpha ?? '')).status).toBe('active');
    expect((await record(beta ?? '')).status).toBe('completed');
    const halfway = await em().findOneOrFail(Order, { id: order.id });
    expect(halfway).toMatchObject({ fulfillmentStatus: 'completed', dnsStatus: 'pending_verification' });
    expect(halfway.nameservers.map((e) => [e.domain, e.dns_verified])).toEqual([
      ['alpha-shop.com', true],
      ['beta-shop.com', false],
    ]);
    const first = await em().findOneOrFail(OutboxMessage, { template: 'dns_verified', data: { recordId: alpha } });
    expect(first.body).toContain('Other domains in order');

    await sandbox.setNameservers('beta-shop.com', expected[1] ?? []);
    await runJob(em(), 'verify_dns', { recordId: beta ?? '' });
    expect(await em().findOneOrFail(Order, { id: order.id })).toMatchObject({
      fulfillmentStatus: 'active',
      dnsStatus: 'verified',
    });
  });

  it('looks at a domain that stays unverified 5, 10, then 20 minutes apart, and not before it is due', async () => {
    const { records } = await deliver(['slow-shop.com']);
    const id = records[0]?.id ?? '';
    const base = Date.now();
    const lookups = () => em().count(FulfillmentLog, { record: id, kind: 'provider_call', step: 'verify_dns' });

    await verifyDueDomains(at(base, 0));
    expect((await check(id)).nextCheckAt.getTime()).toBe(base + 5 * MINUTE);
    await verifyDueDomains(at(base, 4 * MINUTE));
    expect(await lookups()).toBe(1);
    await verifyDueDomains(at(base, 5 * MINUTE));
    expect(await check(id)).toMatchObject({ failedChecks: 2, nextCheckAt: new Date(base + 15 * MINUTE) });
    await verifyDueDomains(at(base, 15 * MINUTE));
    expect(await check(id)).toMatchObject({ failedChecks: 3, nextCheckAt: new Date(base + 35 * MINUTE) });
    expect(await lookups()).toBe(3);
  });

  it('alerts ops once about a domain still unverified after DNS_ALERT_AFTER_DAYS (3 by default)', async () => {
    const { order, records, expected } = await deliver(['forgotten-shop.com']);
    const id = records[0]?.id ?? '';
    const since = (await check(id)).createdAt.getTime();
    const alerts = () => em().find(AdminAlert, { type: 'dns_unverified', subjectId: id });

    await verifyDueDomains(at(since, 3 * DAY - 10 * MINUTE));
    expect(await alerts()).toEqual([]);
    await verifyDueDomains(at(since, 3 * DAY + MINUTE));
    const [alert, ...more] = await alerts();
    expect(more).toEqual([]);
    expect(alert?.message).toBe(
      `Order ${order.orderCode}: forgotten-shop.com still does not point at ${(expected[0] ?? []).join(', ')} after 3 days (it shows no nameservers); the customer may need help.`,
    );
    await verifyDueDomains(at(since, 3 * DAY + 7 * 60 * MINUTE));
    expect(await check(id)).toMatchObject({ failedChecks: 3 });
    expect(await alerts()).toHaveLength(1);
  });

  it('logs a failing resolver and asks again on the next run, never failing the record', async () => {
    const { records, expected } = await deliver(['flaky-dns.com']);
    const id = records[0]?.id ?? '';
    await sandbox.setNameservers('flaky-dns.com', expected[0] ?? []);
    await sandbox.setFault('dns', { errorRate: 1, statusCode: 503, pathIncludes: '/resolve' });

    await runJob(em(), 'verify_dns', { recordId: id });
    const failed = await check(id);
    expect(failed).toMatchObject({ status: 'pending_verification', failedChecks: 0 });
    expect(failed.lastError).toBe('dns-over-https answered 503: Sandbox fault: 503');
    expect(failed.nextCheckAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await record(id)).status).toBe('completed');
    const [lookup] = await em().find(FulfillmentLog, { record: id, kind: 'provider_call', step: 'verify_dns' });
    expect(lookup).toMatchObject({ status: 'failed', httpStatus: 503 });

    await sandbox.clearFault('dns');
    await runJob(em(), 'verify_dns', {});
    expect(await check(id)).toMatchObject({ status: 'verified', lastError: null });
    expect((await record(id)).status).toBe('active');
  });

  it('verifies over plain DNS as well, asking the sandbox DNS server', async () => {
    const { records, expected } = await deliver(['plain-dns-shop.com']);
    const id = records[0]?.id ?? '';
    const plain = { ...worker.deps.dns, resolver: new UdpDnsResolver({ server: sandbox.dnsServer, timeoutMs: 2_000 }) };
    expect(await verifyDomainNameservers(plain, id)).toBe('unverified');
    await sandbox.setNameservers('plain-dns-shop.com', expected[0] ?? []);
    expect(await verifyDomainNameservers(plain, id)).toBe('verified');
    const lookups = await em().find(FulfillmentLog, { record: id, kind: 'provider_call', step: 'verify_dns' });
    expect(lookups.map((l) => l.url)).toEqual([
      `dns://${sandbox.dnsServer}/plain-dns-shop.com`,
      `dns://${sandbox.dnsServer}/plain-dns-shop.com`,
    ]);
  });
});
