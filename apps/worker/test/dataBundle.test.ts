import {
  buyDataBundle,
  type CheckoutDeps,
  creditWallet,
  getWalletBalances,
  resolveCompensation,
  resumeHeldBundles,
  retryRecords,
  setSmsPreference,
  syncRecord,
  ValidationError,
  validateFulfillmentConfig,
} from '@handover/core';
import {
  AdminAlert,
  FulfillmentLog,
  FulfillmentRecord,
  FulfillmentStep,
  Notification,
  OutboxMessage,
  PendingCompensation,
  type Product,
  User,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  arkeselClient,
  bundleAdapter,
  bundleSandbox,
  bundleSandboxEnv,
  createBundleProduct,
  steppedClock,
} from './support/dataBundles';
import { placeOrder, until } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';
import { startTestSandbox, type TestSandbox } from './support/sandbox';

const PHONE = '+233271234567';
const MINUTE = 60_000;

describe('data-bundle driver (seed 002)', () => {
  const db = useTestDatabase({ poolMax: 12 });
  const clock = steppedClock();
  let sandbox: TestSandbox;
  let reseller: ReturnType<typeof bundleSandbox>;
  let worker: InProcessWorker;
  let n = 0;

  const em = () => db.orm.em.fork();
  const record = (id: string) => em().findOneOrFail(FulfillmentRecord, { id });
  const settled = (id: string, statuses: string[], what = statuses.join('/')) =>
    until(
      async () => {
        const r = await record(id);
        return statuses.includes(r.status) && r.lockedBy === null ? r : null;
      },
      { what: `record ${id} ${what}` },
    );
  const product = (extra: Partial<Parameters<typeof createBundleProduct>[1]> = {}) =>
    createBundleProduct(em(), { slug: `bundle-${++n}`, ...extra });
  const order = async (p: Product, phoneNumber = PHONE, input: Record<string, unknown> = {}) => {
    const config = p.fulfillmentConfig as { network: string; sizeGb: number };
    const placed = await placeOrder(em(), worker.registry, p, [{ ...config, phoneNumber, ...input }]);
    return { ...placed, id: placed.records[0]?.id ?? '' };
  };
  const textsTo = async (to: string, count: number) =>
    until(
      async () => {
        const texts = await reseller.texts(to);
        return texts.length >= count ? texts.reverse().map((t) => t.message) : null;
      },
      { what: `${count} text(s) to ${to}` },
    );
  /** A bundle the reseller took and the network then refused: its record fails (`delivery_failed`). */
  const refusedByTheNetwork = async () => {
    await reseller.settings({ pendingVerifies: 1 });
    const placed = await order(await product());
    await settled(placed.id, ['awaiting_provider']);
    const [pending] = await reseller.deliveries();
    await reseller.control(`/at-ishare/deliveries/${pending?.reference}/fail`, 'POST', { reason: 'Network rejected' });
    await clock.advance(em(), 30_000);
    return { placed, failed: await settled(placed.id, ['failed']) };
  };
  /** Moves the clock to each of the record's three retries as it is scheduled, leaving the last attempt to run. */
  const throughEveryRetry = async (id: string) => {
    for (const attempt of [1, 2, 3]) {
      const r = await until(
        async () => {
          const found = await record(id);
          return found.attempts === attempt && found.lockedBy === null && found.nextAttemptAt ? found : null;
        },
        { what: `attempt ${attempt}` },
      );
      await clock.advance(em(), (r.nextAttemptAt?.getTime() ?? 0) - clock.now().getTime());
    }
  };
  const failedAttempts = async (id: string) =>
    em().count(FulfillmentLog, { record: id, kind: 'attempt', status: 'failed', step: 'deliver_bundle' });

  beforeAll(async () => {
    sandbox = await startTestSandbox(bundleSandboxEnv);
    reseller = bundleSandbox(sandbox.url);
    worker = await startInProcessWorker(db, [bundleAdapter(sandbox.url, { timeoutMs: 500 })], {
      clock,
      sms: arkeselClient(sandbox.url),
      // The clock jumps hours ahead: this process must not take itself for crashed.
      env: { WORKER_STALE_AFTER_MS: String(30 * 24 * 3_600_000) },
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await sandbox?.close();
  });
  beforeEach(() => sandbox.reset());

  it('delivers under the step’s idempotency key, confirms by the reseller’s reference, and texts the customer', async () => {
    const p = await product();
    const placed = await order(p, '027 123 4567');
    expect(placed.records[0]?.subject).toBe(PHONE);
    const done = await settled(placed.id, ['completed']);

    const steps = await em().find(FulfillmentStep, { record: done.id }, { orderBy: { position: 'asc' } });
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['confirm_purchase', 'done'],
      ['deliver_bundle', 'done'],
      ['confirm_delivery', 'done'],
    ]);
    const [delivery, ...others] = await reseller.deliveries();
    expect(others).toEqual([]);
    expect(delivery).toMatchObject({
      orderId: done.id,
      phoneNumber: '0271234567',
      sizeGb: 10,
      status: 'delivered',
      idempotencyKey: `${done.id}:deliver_bundle`,
    });
    const reference = delivery?.reference ?? '';
    expect(done.externalReferenceId).toBe(reference);
    expect(done.result).toEqual({
      network: 'AT-iShare',
      size: '10GB',
      phoneNumber: PHONE,
      reference,
      deliveredAt: expect.any(String),
    });
    // The reseller's 10 GB costs GHS 42.00 of its GHS 1000 float.
    expect(await reseller.float()).toBe(958);

    expect(await textsTo(PHONE, 2)).toEqual([
      `Order ${placed.order.orderCode}: 10GB AT-iShare data for 027 123 4567 is paid and on its way. We will text you when it lands.`,
      `Your AT-iShare data has been delivered to 027 123 4567. Reference: ${reference}.`,
    ]);
    const texts = await em().find(OutboxMessage, { channel: 'sms' }, { orderBy: { createdAt: 'asc' } });
    expect(texts.map((t) => [t.template, t.recipient, t.status])).toEqual([
      ['bundle_purchased', PHONE, 'sent'],
      ['bundle_delivered', PHONE, 'sent'],
    ]);
    expect(await em().findOneOrFail(Notification, { type: 'data_delivered' })).toMatchObject({
      title: 'AT-iShare data delivered',
      message: `Your AT-iShare data has been delivered to 027 123 4567. Reference: ${reference}.`,
    });
    // Seed 002's fulfillment_logs: each call with its network and phone, for the back office's filters.
    const call = await em().findOneOrFail(FulfillmentLog, {
      record: done.id,
      kind: 'provider_call',
      step: 'deliver_bundle',
    });
    expect(call).toMatchObject({ network: 'AT-iShare', phoneNumber: PHONE, httpStatus: 200, method: 'POST' });
    expect(call.apiResponse).toMatchObject({ success: true, reference, status: 'delivered' });
  });

  it('checks a bundle the network has not confirmed every 30 s by the clock until it lands', async () => {
    await reseller.settings({ pendingVerifies: 2 });
    const p = await product();
    const placed = await order(p);
    const waiting = await settled(placed.id, ['awaiting_provider']);
    expect(waiting.statusReason).toBe('AT-iShare is delivering the data');
    expect((waiting.nextAttemptAt?.getTime() ?? 0) - clock.now().getTime()).toBeGreaterThan(25_000);
    await clock.advance(em(), 30_000);
    await until(async () => (await record(placed.id)).pollCount === 2, { what: 'the second check' });
    await clock.advance(em(), 30_000);
    const done = await settled(placed.id, ['completed']);
    expect(await em().count(FulfillmentLog, { record: done.id, kind: 'provider_call', step: 'confirm_delivery' })).toBe(
      3,
    );
  });

  describe('each of the seed’s error classes', () => {
    it('fails an invalid phone number at once, without retries, telling the customer and ops', async () => {
      await reseller.failNext({ failure: 'invalid_phone' });
      const p = await product();
      const placed = await order(p);
      const failed = await settled(placed.id, ['failed']);
      expect(failed.lastErrorCode).toBe('invalid_phone');
      expect(await failedAttempts(failed.id)).toBe(1);
      expect(await textsTo(PHONE, 2)).toEqual([
        expect.stringContaining('is paid and on its way'),
        `Unable to complete order ${placed.order.orderCode}. Contact support.`,
      ]);
      expect(await em().count(AdminAlert, { type: 'fulfillment_failure', subjectId: failed.id })).toBe(1);
      expect(await em().count(Notification, { type: 'fulfillment_retrying', data: { recordId: failed.id } })).toBe(0);
    });

    it('fails a size the reseller does not sell at once', async () => {
      const p = await product({ config: { network: 'AT-iShare', sizeGb: 9 } });
      const failed = await settled((await order(p)).id, ['failed']);
      expect(failed.lastErrorCode).toBe('invalid_size');
      expect(failed.lastError).toContain('Invalid package size: 9GB');
      expect(await failedAttempts(failed.id)).toBe(1);
    });

    it('refuses an order whose package is not the product’s before calling the reseller', async () => {
      const p = await product();
      const failed = await settled((await order(p, PHONE, { sizeGb: 100 })).id, ['failed']);
      expect(failed.lastErrorCode).toBe('package_mismatch');
      expect(await reseller.deliveries()).toEqual([]);
    });

    it('retries a reseller that does not answer in time, and delivers once on the next attempt', async () => {
      await reseller.failNext({ failure: 'timeout', remaining: 1 });
      const p = await product();
      const placed = await order(p);
      const retrying = await until(async () => {
        const r = await record(placed.id);
        return r.lastErrorCode === 'timeout' && r.nextAttemptAt && r.lockedBy === null ? r : null;
      });
      expect(retrying.status).toBe('processing');
      expect(await textsTo(PHONE, 2)).toContain(
        `Failed to deliver data. Retrying… Order ${placed.order.orderCode}: nothing is needed from you.`,
      );
      await clock.advance(em(), 5 * MINUTE);
      await settled(placed.id, ['completed']);
      expect(await reseller.deliveries()).toHaveLength(1);
    });

    it('retries an unavailable reseller 5 min, 15 min and 1 h apart by the clock, texting each time, then fails', async () => {
      await reseller.failNext({ failure: 'unavailable' });
      const p = await product();
      const placed = await order(p);
      const planned: number[] = [];
      for (const [attempt, waitMs] of [
        [1, 5 * MINUTE],
        [2, 15 * MINUTE],
        [3, 60 * MINUTE],
      ] as const) {
        const r = await until(
          async () => {
            const found = await record(placed.id);
            return found.attempts === attempt && found.lockedBy === null ? found : null;
          },
          { what: `attempt ${attempt}` },
        );
        const wait = (r.nextAttemptAt?.getTime() ?? 0) - clock.now().getTime();
        planned.push(Math.round(wait / 1000));
        expect(wait).toBeGreaterThan(waitMs - 5_000);
        expect(wait).toBeLessThanOrEqual(waitMs);
        const [job] = await em().execute<{ run_at: Date }[]>(
          "select run_at from graphile_worker._private_jobs where key = 'fulfill:' || ?",
          [placed.id],
        );
        expect(new Date(job?.run_at ?? 0).getTime()).toBe(r.nextAttemptAt?.getTime());
        // Not a moment early: a second short of the wait, nothing runs.
        await clock.advance(em(), waitMs - 5_000);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(await failedAttempts(placed.id)).toBe(attempt);
        await clock.advance(em(), 5_000);
      }
      const failed = await settled(placed.id, ['failed']);
      expect(failed.lastErrorCode).toBe('provider_unavailable');
      expect(await failedAttempts(failed.id)).toBe(4);
      expect((await sandbox.calls('at-ishare')).endpoints['POST /at-ishare/api/v1/orders']).toBe(4);
      const retryText = `Failed to deliver data. Retrying… Order ${placed.order.orderCode}: nothing is needed from you.`;
      expect(await textsTo(PHONE, 5)).toEqual([
        expect.stringContaining('is paid and on its way'),
        retryText,
        retryText,
        retryText,
        `Unable to complete order ${placed.order.orderCode}. Contact support.`,
      ]);
      const notices = await em().find(
        Notification,
        { type: 'fulfillment_retrying', data: { recordId: placed.id } },
        { orderBy: { createdAt: 'asc' } },
      );
      expect(notices.map((notice) => notice.message)).toEqual(
        Array.from({ length: 3 }, () => expect.stringMatching(/^Failed to deliver .*\. Retrying at \d\d:\d\d UTC/)),
      );
      expect(planned.length).toBe(3);
    });

    it('holds bundles while the reseller float is short, alerts ops once, and delivers them when ops say it is topped up', async () => {
      await reseller.setFloat(0);
      const p = await product();
      const first = await order(p, '0271111111');
      const second = await order(p, '0561111111');
      for (const id of [first.id, second.id]) {
        const held = await settled(id, ['awaiting_provider']);
        expect(held).toMatchObject({
          statusReason: 'Waiting for our data supplier; your bundle goes out as soon as it can',
          currentStep: 'deliver_bundle',
          nextAttemptAt: null,
          attempts: 0,
        });
        // No retry is burned: once the run that held it finishes, nothing is scheduled for it (a
        // scheduled retry would keep its job row, and this wait would time out).
        await until(
          async () =>
            (await em().execute("select 1 from graphile_worker._private_jobs where key = 'fulfill:' || ?", [id]))
              .length === 0,
          { what: 'no fulfill job left for the held bundle', timeoutMs: 10_000 },
        );
      }
      const alerts = await em().find(AdminAlert, { type: 'reseller_float_low' });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]?.message).toContain(
        'The AT-iShare reseller float is too low (0.00 GHS left, 42.00 GHS needed for 10GB',
      );

      await reseller.setFloat(100);
      const ops = em().create(User, { email: `ops-${n}@handover.test`, role: 'ops' });
      await em().persistAndFlush(ops);
      expect(await resumeHeldBundles(em(), 'AT-iShare', { type: 'user', id: ops.id }, clock.now())).toBe(2);
      await settled(first.id, ['completed']);
      await settled(second.id, ['completed']);
      expect((await reseller.deliveries()).map((d) => d.phoneNumber).sort()).toEqual(['0271111111', '0561111111']);
      expect(await em().findOneOrFail(AdminAlert, { id: alerts[0]?.id })).toMatchObject({
        acknowledgedAt: expect.any(Date),
      });
    });
  });

  it('delivers once when the reseller’s answer is lost after it delivered: the same key replays the delivery', async () => {
    await reseller.failNext({ failure: 'lost_answer', remaining: 1 });
    const p = await product();
    const placed = await order(p);
    await until(async () => (await record(placed.id)).lastErrorCode === 'timeout', { what: 'the lost answer' });
    const [delivered] = await reseller.deliveries();
    expect(delivered?.status).toBe('delivered');
    await clock.advance(em(), 5 * MINUTE);
    const done = await settled(placed.id, ['completed']);
    expect(done.externalReferenceId).toBe(delivered?.reference);
    expect(await reseller.deliveries()).toHaveLength(1);
    const calls = await sandbox.calls('at-ishare');
    expect(calls.idempotencyKeys[`${placed.id}:deliver_bundle`]).toBe(2);
    expect(
      (await textsTo(PHONE, 3)).filter((text) => text.startsWith('Your AT-iShare data has been delivered')),
    ).toHaveLength(1);
  });

  it('fails a record whose every answer was lost, tells ops the bundle went out all the same, and completes it with that delivery on retry', async () => {
    await reseller.failNext({ failure: 'lost_answer', remaining: 4 });
    const p = await product();
    const placed = await order(p);
    await throughEveryRetry(placed.id);
    const failed = await settled(placed.id, ['failed']);
    expect(failed.lastErrorCode).toBe('timeout');
    const [delivery, ...others] = await reseller.deliveries();
    expect(others).toEqual([]);
    expect(delivery?.status).toBe('delivered');

    // The record failed, but the reseller was asked by the record id and holds a bundle for it:
    // the undo cannot finish, and ops read why.
    const alert = await until(() =>
      em().findOne(AdminAlert, { dedupeKey: `rollback_failure:${placed.id}`, resolvedAt: null }),
    );
    expect(alert.message).toContain(
      `AT-iShare delivered bundle ${delivery?.reference} to ${PHONE} although its answer never reached us`,
    );
    expect(alert.message).toContain('no refund is due');
    expect(await em().findOneOrFail(PendingCompensation, { record: placed.id })).toMatchObject({ status: 'pending' });
    const calls = await sandbox.calls('at-ishare');
    expect(calls.endpoints['GET /at-ishare/api/v1/orders']).toBe(1);

    const [refused] = await retryRecords(em(), [placed.id], { type: 'system' }, clock.now());
    expect(refused?.ok).toBe(false);
    await resolveCompensation(
      em(),
      placed.id,
      { decision: 'write_off', note: 'AT-iShare confirms the bundle landed' },
      { type: 'system' },
      clock.now(),
    );
    const [retried] = await retryRecords(em(), [placed.id], { type: 'system' }, clock.now());
    expect(retried?.ok).toBe(true);
    const done = await settled(placed.id, ['completed']);
    expect(done.externalReferenceId).toBe(delivery?.reference);
    expect(await reseller.deliveries()).toHaveLength(1);
    expect(await reseller.float()).toBe(958);
  });

  it('asks the reseller after a failed record’s lost answer and, finding nothing sent, leaves no undo behind', async () => {
    await reseller.failNext({ failure: 'timeout' });
    const p = await product();
    const placed = await order(p);
    await throughEveryRetry(placed.id);
    const failed = await settled(placed.id, ['failed']);
    expect(failed.lastErrorCode).toBe('timeout');
    expect(await reseller.deliveries()).toEqual([]);
    const asked = await em().find(FulfillmentLog, { record: placed.id, kind: 'compensation', method: 'GET' });
    expect(asked.map((call) => [call.step, call.httpStatus])).toEqual([['deliver_bundle', 200]]);
    expect(await em().findOne(PendingCompensation, { record: placed.id })).toBeNull();
    expect(await em().count(AdminAlert, { dedupeKey: `rollback_failure:${placed.id}` })).toBe(0);
  });

  it('takes the bundle the reseller already sent for a record as its own when a retry meets DUPLICATE_ORDER', async () => {
    const { placed, failed } = await refusedByTheNetwork();
    // A second bundle for the record under another key (as if an earlier try's answer was lost):
    // the retry's own key meets DUPLICATE_ORDER, and takes that bundle instead of refusing.
    await reseller.settings({ pendingVerifies: 0 });
    await fetch(`${sandbox.url}/at-ishare/api/v1/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': bundleSandboxEnv.AT_ISHARE_API_KEY,
        'idempotency-key': 'another-key',
      },
      body: JSON.stringify({ phoneNumber: '0271234567', sizeGb: 10, orderId: placed.id }),
    });
    const [result] = await retryRecords(em(), [failed.id], { type: 'system' }, clock.now());
    expect(result?.ok).toBe(true);
    const done = await settled(placed.id, ['completed']);
    const deliveries = await reseller.deliveries();
    expect(deliveries.map((d) => [d.status, d.idempotencyKey])).toEqual([
      ['failed', `${placed.id}:deliver_bundle`],
      ['delivered', 'another-key'],
    ]);
    expect(done.externalReferenceId).toBe(deliveries[1]?.reference);
  });

  it('fails a delivery the network refused, undoing it so that a retry delivers anew', async () => {
    const { placed, failed } = await refusedByTheNetwork();
    expect(failed.lastErrorCode).toBe('delivery_failed');
    expect(failed.lastError).toContain('Network rejected');
    const steps = await em().find(FulfillmentStep, { record: failed.id }, { orderBy: { position: 'asc' } });
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['confirm_purchase', 'compensated'],
      ['deliver_bundle', 'compensated'],
      ['confirm_delivery', 'failed'],
    ]);

    await reseller.settings({ pendingVerifies: 0 });
    const [result] = await retryRecords(em(), [failed.id], { type: 'system' }, clock.now());
    expect(result?.ok).toBe(true);
    await settled(placed.id, ['completed']);
    expect((await reseller.deliveries()).map((d) => [d.status, d.idempotencyKey])).toEqual([
      ['failed', `${placed.id}:deliver_bundle`],
      ['delivered', `${placed.id}:deliver_bundle:g1`],
    ]);
    // The purchase was confirmed once, whatever was redone.
    expect((await reseller.texts(PHONE)).filter((t) => t.message.includes('is paid and on its way'))).toHaveLength(1);
  });

  it('asks the reseller about a delivered bundle by its reference (syncStatus)', async () => {
    const p = await product();
    const done = await settled((await order(p)).id, ['completed']);
    expect(await syncRecord(worker.deps.engine, done.id, { attempt: 1 })).toBe('in_step');
    const sync = await em().findOneOrFail(FulfillmentLog, { record: done.id, kind: 'sync' });
    expect(sync.errorMessage).toBe('The provider says active');
  });

  it('takes packages only for networks a reseller delivers here, and tests the reseller’s connection by its float', async () => {
    expect(validateFulfillmentConfig(worker.registry, 'data-bundle', { network: 'AT-iShare', sizeGb: 5 })).toEqual({
      network: 'AT-iShare',
      sizeGb: 5,
    });
    const refused = (() => {
      try {
        validateFulfillmentConfig(worker.registry, 'data-bundle', { network: 'MTN', sizeGb: 5 });
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fieldErrors).toEqual({
      'fulfillmentConfig.network': ['No reseller is set up for this network here; choose AT-iShare'],
    });
    const adapter = worker.registry.get('data-bundle');
    const context = { em: em(), services: { secrets: worker.secrets } };
    expect(await adapter.testConnection?.({ network: 'AT-iShare', sizeGb: 5 }, context)).toEqual({
      ok: true,
      message: 'The AT-iShare reseller answered: its float holds 1000.00 GHS',
    });
  });

  it('never texts a number that opted out, even a text queued before it did', async () => {
    await setSmsPreference(em(), { phoneNumber: PHONE, texts: false, source: 'customer', userId: null });
    const p = await product();
    const done = await settled((await order(p)).id, ['completed']);
    expect(await em().count(OutboxMessage, { channel: 'sms', data: { recordId: done.id } })).toBe(0);

    // Texts queued while Arkesel is down wait to be retried; the number opts out meanwhile.
    await setSmsPreference(em(), { phoneNumber: PHONE, texts: true, source: 'customer', userId: null });
    await sandbox.setFault('arkesel', { errorRate: 1, statusCode: 503 });
    const second = await settled((await order(p)).id, ['completed']);
    const queued = await until(async () => {
      const rows = await em().find(OutboxMessage, { channel: 'sms', data: { recordId: second.id } });
      return rows.length === 2 && rows.every((row) => row.attempts > 0) ? rows : null;
    });
    expect(queued.map((row) => row.status)).toEqual(['pending', 'pending']);
    await setSmsPreference(em(), { phoneNumber: PHONE, texts: false, source: 'customer', userId: null });
    await sandbox.clearFault('arkesel');
    await clock.advance(em(), 0);
    const dropped = await until(async () => {
      const rows = await em().find(OutboxMessage, { channel: 'sms', data: { recordId: second.id } });
      return rows.every((row) => row.status !== 'pending') ? rows : null;
    });
    expect(dropped.map((row) => [row.status, row.lastError])).toEqual([
      ['failed', `${PHONE} asked not to be texted; not sent`],
      ['failed', `${PHONE} asked not to be texted; not sent`],
    ]);
    expect(await reseller.texts(PHONE)).toEqual([]);
  });

  describe('paid from the wallet', () => {
    let customer: { userId: string; email: string; phone: string | null };
    const deps = (): CheckoutDeps => ({
      em: db.orm.em,
      registry: worker.registry,
      gateways: {},
      clock,
      settings: { portalUrl: 'http://portal.test', pendingOrderTtlMs: 60 * MINUTE },
    });
    const fund = async (amountMinor: number) =>
      em().transactional((tem) =>
        creditWallet(tem, {
          userId: customer.userId,
          currency: 'GHS',
          amountMinor,
          reason: 'top_up',
          reference: `top_up:test-${++n}`,
        }),
      );
    const balance = async () => (await getWalletBalances(em(), customer.userId))[0]?.balanceMinor;

    beforeEach(async () => {
      const user = em().create(User, { email: `reseller-${++n}@example.com` });
      await em().persistAndFlush(user);
      customer = { userId: user.id, email: user.email, phone: null };
    });

    it('buys 10 of 50 concurrent purchases a wallet covers: 10 delivered, 40 refused, the balance 0', async () => {
      const p = await product({ priceMinor: 500 });
      await fund(10 * 500);
      const numbers = Array.from({ length: 50 }, (_, i) => `027${String(i).padStart(7, '0')}`);
      expect(new Set(numbers).size).toBe(50);
      const outcomes = await Promise.allSettled(
        numbers.map((phoneNumber) =>
          buyDataBundle(deps(), { productId: p.id, phoneNumber, confirmRepeat: false }, customer),
        ),
      );
      const started = outcomes.filter((o) => o.status === 'fulfilled' && o.value.status === 'started');
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(started).toHaveLength(10);
      expect(refused).toHaveLength(40);
      for (const outcome of refused) {
        expect(outcome.reason).toBeInstanceOf(ValidationError);
        expect(outcome.reason.fieldErrors.gateway?.[0]).toMatch(/^Your wallet holds 0\.00 GHS; this costs 5\.00 GHS/);
      }
      expect(await balance()).toBe(0);
      const records = await em().find(FulfillmentRecord, { product: p.id });
      expect(records).toHaveLength(10);
      for (const r of records) await settled(r.id, ['completed']);
      expect(await reseller.deliveries()).toHaveLength(10);
    });

    it('checks the number against the package’s network before taking any money', async () => {
      const p = await product({ priceMinor: 500 });
      await fund(500);
      const error = await buyDataBundle(
        deps(),
        { productId: p.id, phoneNumber: '0241234567', confirmRepeat: false },
        customer,
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fieldErrors).toEqual({
        phoneNumber: [
          '024 123 4567 is not an AirtelTigo number: AT-iShare data goes to numbers starting 026, 027, 056 or 057',
        ],
      });
      expect(await balance()).toBe(500);
    });

    it('asks before buying the same package for the same number again within the window, even at the same moment', async () => {
      const p = await product({ priceMinor: 500 });
      await fund(5 * 500);
      const buy = (confirmRepeat = false) =>
        buyDataBundle(deps(), { productId: p.id, phoneNumber: '027 123 4567', confirmRepeat }, customer);
      const [one, two] = await Promise.all([buy(), buy()]);
      const statuses = [one.status, two.status].sort();
      expect(statuses).toEqual(['confirm_repeat', 'started']);
      const first = one.status === 'started' ? one : two.status === 'started' ? two : null;
      const asked = await buy();
      expect(asked).toMatchObject({
        status: 'confirm_repeat',
        message: `You bought 10GB of AT-iShare data for 027 123 4567 1 minute ago (order ${first?.orderCode}). Buy it again?`,
      });
      expect(await buy(true)).toMatchObject({ status: 'started' });
      expect(await balance()).toBe(3 * 500);
      // Past the window, no question.
      await clock.advance(em(), 11 * MINUTE);
      expect(await buy()).toMatchObject({ status: 'started' });
    });

    it('does not count a refused purchase as bought: after a top-up the same purchase goes through', async () => {
      const p = await product({ priceMinor: 500 });
      await expect(
        buyDataBundle(deps(), { productId: p.id, phoneNumber: PHONE, confirmRepeat: false }, customer),
      ).rejects.toBeInstanceOf(ValidationError);
      await fund(500);
      expect(
        await buyDataBundle(deps(), { productId: p.id, phoneNumber: PHONE, confirmRepeat: false }, customer),
      ).toMatchObject({
        status: 'started',
      });
    });
  });
});
