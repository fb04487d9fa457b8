import {
  approveOrderForProvisioning,
  findBillingAccount,
  getOrderForStaff,
  paymentMethodOnFileCheck,
  retryRecords,
  startActivation,
} from '@handover/core';
import {
  ActivityLog,
  AdminAlert,
  DomainEvent,
  FulfillmentRecord,
  Notification,
  Order,
  OutboxMessage,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { WhmcsClient, whmcsPaymentMethodsOnFile } from '@handover/integrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEsimProduct, ESIM_SANDBOX_ENV, esimAdapters, type SandboxEsim } from './support/esim';
import { runJob, until } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';
import { placePaidOrder } from './support/orders';
import { startTestSandbox, type TestSandbox } from './support/sandbox';

const WHMCS = { WHMCS_API_IDENTIFIER: 'whmcs-activation-test-id', WHMCS_API_SECRET: 'whmcs-activation-test-secret' };
const HOUR = 3_600_000;

/** A clock the test moves by hand. */
function manualClock(start: Date) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('scheduled activation (seed 004 5a), driven by a test clock', () => {
  const db = useTestDatabase({ poolMax: 10 });
  // A week before London's clocks go forward (Sunday 28 March 2027).
  const clock = manualClock(new Date('2027-03-20T12:00:00Z'));
  let sandbox: TestSandbox;
  let worker: InProcessWorker;
  let whmcs: WhmcsClient;
  let n = 0;
  const em = () => db.orm.em.fork();
  const setClock = (iso: string) => clock.advance(new Date(iso).getTime() - clock.now().getTime());
  const ops = { type: 'user' as const, id: '00000000-0000-4000-8000-0000000000aa' };

  const reviewedEsim = async (email: string) => {
    const product = await createEsimProduct(em(), {
      slug: `fibre-esim-${++n}`,
      requiresReview: true,
      activation: 'scheduled',
      serviceRules: { oneServicePerOrder: true, activationChecks: ['payment_method_on_file'] },
    });
    const placed = await placePaidOrder(em(), worker.registry, product.id, { email, now: clock.now() });
    return em().findOneOrFail(Order, placed.orderId);
  };
  const jobsOf = (orderId: string) =>
    em().execute<{ task: string; run_at: Date }[]>(
      `select t.identifier as task, j.run_at from graphile_worker._private_jobs j
         join graphile_worker._private_tasks t on t.id = j.task_id
        where j.payload->>'orderId' = ? order by j.run_at`,
      [orderId],
    );
  const order = (id: string) => em().findOneOrFail(Order, id, { refresh: true });
  const recordOf = async (orderId: string) => em().findOneOrFail(FulfillmentRecord, { order: orderId });
  const mailsTo = (email: string, template: string) => em().count(OutboxMessage, { recipient: email, template });
  const activity = (action: string, subjectId: string) => em().count(ActivityLog, { action, subjectId });

  beforeAll(async () => {
    sandbox = await startTestSandbox({ ...ESIM_SANDBOX_ENV, ...WHMCS });
    whmcs = new WhmcsClient({
      baseUrl: `${sandbox.url}/whmcs`,
      identifier: WHMCS.WHMCS_API_IDENTIFIER,
      secret: WHMCS.WHMCS_API_SECRET,
      customerNumberFieldId: 1,
      timeoutMs: 5_000,
    });
    worker = await startInProcessWorker(db, esimAdapters(sandbox.url), {
      clock,
      // Days pass on the test clock in a moment: no heartbeat ever looks stale.
      env: { WORKER_STALE_AFTER_MS: String(30 * 24 * HOUR) },
      activation: { checks: [paymentMethodOnFileCheck(whmcsPaymentMethodsOnFile(whmcs))] },
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await sandbox?.close();
  });

  it('preflights three calendar days before across the DST change, tells customer and ops the payment method is missing, sees it added, then activates on the date', async () => {
    const email = 'ama@example.com';
    const placed = await reviewedEsim(email);
    // Ops approve with a date on London's calendar: 09:00 BST on Tuesday 30 March, after the change.
    const approved = await approveOrderForProvisioning(em(), placed.id, ops, {
      activation: { type: 'scheduled', date: '2027-03-30', time: '09:00', timeZone: 'Europe/London' },
      decidedBy: 'ops@handover.test',
      now: clock.now(),
    });
    expect(approved.activation.at?.toISOString()).toBe('2027-03-30T08:00:00.000Z');
    expect(await order(placed.id)).toMatchObject({
      status: 'approved',
      reviewDecision: 'approved',
      reviewedBy: 'ops@handover.test',
      activationType: 'scheduled',
      activationTimeZone: 'Europe/London',
      // T−3 days is Saturday 27 March at 09:00 GMT: 71 hours before, not 72.
      activationPreflightAt: new Date('2027-03-27T09:00:00Z'),
    });
    expect((await recordOf(placed.id)).status).toBe('scheduled');
    expect((await jobsOf(placed.id)).map((job) => [job.task, new Date(job.run_at).toISOString()])).toEqual([
      ['activation_preflight', '2027-03-27T09:00:00.000Z'],
      ['activate_order', '2027-03-30T08:00:00.000Z'],
    ]);
    expect((await getOrderForStaff(em(), placed.id)).activation).toMatchObject({ status: 'not_started' });

    // 72 hours before would be 08:00 UTC; at 08:59 the preflight is not due yet.
    setClock('2027-03-27T08:59:00Z');
    await runJob(em(), 'activations_due', {});
    expect((await order(placed.id)).preflightCheckedAt).toBeNull();

    setClock('2027-03-27T09:00:00Z');
    await runJob(em(), 'activations_due', {});
    const missing = await until(async () => {
      const found = await order(placed.id);
      return found.preflightCheckedAt ? found : null;
    });
    expect(missing.preflightProblems).toEqual([
      expect.objectContaining({
        check: 'payment_method_on_file',
        customerCanFix: true,
        detail: `WHMCS has no payment method for ${email}`,
      }),
    ]);
    await until(async () => (await mailsTo(email, 'activation_preflight_failed')) === 1, {
      what: 'the customer email',
    });
    const mail = await em().findOneOrFail(OutboxMessage, { recipient: email, template: 'activation_preflight_failed' });
    expect(mail.body).toContain('Tuesday 30 March 2027, 09:00 Europe/London (UTC+01:00)');
    expect(mail.body).toContain('A payment method on file');
    expect(await em().count(Notification, { user: placed.user.id, title: mail.subject ?? '' })).toBe(1);
    expect(
      await em().findOneOrFail(AdminAlert, { type: 'activation_preflight_failed', subjectId: placed.id }),
    ).toMatchObject({
      severity: 'warning',
    });

    // The preflight made the customer's WHMCS client (the mapping), where the customer now adds a
    // card; the next look, 12 hours on, finds it and says so once.
    const account = await findBillingAccount(em(), placed.user.id);
    const clientId = account?.clientId;
    expect(clientId).toBeDefined();
    await sandbox.control(`/_control/whmcs/clients/${clientId}/paymethods`, 'POST', {});
    setClock('2027-03-27T21:00:00Z');
    await runJob(em(), 'activations_due', {});
    await until(async () => (await order(placed.id)).preflightProblems?.length === 0, { what: 'the second preflight' });
    await until(async () => (await mailsTo(email, 'activation_preflight_passed')) === 1, { what: 'the all-set email' });
    expect(await mailsTo(email, 'activation_preflight_failed')).toBe(1);
    expect((await recordOf(placed.id)).status).toBe('scheduled');

    // A minute before the date nothing starts; on the date the execute path runs.
    setClock('2027-03-30T07:59:00Z');
    await runJob(em(), 'activations_due', {});
    expect((await recordOf(placed.id)).status).toBe('scheduled');
    setClock('2027-03-30T08:00:00Z');
    await runJob(em(), 'activations_due', {});
    const delivered = await until(async () => {
      const record = await recordOf(placed.id);
      return record.status === 'completed' ? record : null;
    });
    expect(delivered.externalReferenceId).toMatch(/^89\d+$/);
    const staff = await getOrderForStaff(em(), placed.id);
    expect(staff.activation).toMatchObject({
      status: 'activated',
      startedAt: new Date('2027-03-30T08:00:00Z'),
      error: null,
    });
    expect(await activity('fulfillment.activation_due', delivered.id)).toBe(1);
    expect(await activity('order.activation_started', placed.id)).toBe(1);
  });

  it('"Activate now" runs the same path at once; the date then finds nothing left to start', async () => {
    const placed = await reviewedEsim('now@example.com');
    await approveOrderForProvisioning(em(), placed.id, ops, {
      activation: { type: 'scheduled', date: '2027-06-01', time: '10:00', timeZone: 'Asia/Tokyo' },
      now: clock.now(),
    });
    const started = await startActivation(em(), placed.id, { by: 'operator', actor: ops, now: clock.now() });
    expect(started.startedRecordIds).toHaveLength(1);
    await until(async () => (await recordOf(placed.id)).status === 'completed', { what: 'the activation' });
    await expect(startActivation(em(), placed.id, { by: 'operator', actor: ops, now: clock.now() })).rejects.toThrow(
      'is already activating or activated',
    );
    setClock('2027-06-01T01:00:00Z');
    await runJob(em(), 'activate_order', { orderId: placed.id });
    expect(await activity('fulfillment.activate_now', started.startedRecordIds[0] ?? '')).toBe(1);
    expect(await activity('fulfillment.activation_due', started.startedRecordIds[0] ?? '')).toBe(0);
  });

  it('shows a failed activation with its error fields, and a retry once fixed activates it', async () => {
    const placed = await reviewedEsim('fails@example.com');
    await approveOrderForProvisioning(em(), placed.id, ops, {
      activation: { type: 'scheduled', date: '2027-12-01', time: '09:00', timeZone: 'America/New_York' },
      now: clock.now(),
    });
    await sandbox.control('/_control/esimaccess/balance', 'PUT', { balance: 0 });
    await startActivation(em(), placed.id, { by: 'operator', actor: ops, now: clock.now() });
    const failed = await until(async () => {
      const record = await recordOf(placed.id);
      return record.status === 'failed' ? record : null;
    });
    const view = (await getOrderForStaff(em(), placed.id)).activation;
    expect(view).toMatchObject({
      status: 'failed',
      error: { code: 'insufficient_balance', step: 'order_esim', recordId: failed.id, at: expect.any(Date) },
    });
    expect(view?.error?.message).toContain('esimaccess refused (200007)');

    await sandbox.control('/_control/esimaccess/balance', 'PUT', { balance: 10_000_000 });
    expect(await retryRecords(em(), [failed.id], ops, clock.now())).toEqual([expect.objectContaining({ ok: true })]);
    await until(async () => (await recordOf(placed.id)).status === 'completed', { what: 'the retried activation' });
    expect((await getOrderForStaff(em(), placed.id)).activation).toMatchObject({ status: 'activated', error: null });
  });

  it('makes every state change once when approve and "Activate now" are clicked at the same time, again and again', async () => {
    const email = 'race@example.com';
    const placed = await reviewedEsim(email);
    const approve = () =>
      approveOrderForProvisioning(em(), placed.id, ops, {
        activation: { type: 'scheduled', date: '2027-09-01', time: '09:00', timeZone: 'Europe/London' },
        decidedBy: 'ops@handover.test',
        now: clock.now(),
      });
    const activateNow = () => startActivation(em(), placed.id, { by: 'operator', actor: ops, now: clock.now() });
    const first = await Promise.allSettled([
      approve(),
      activateNow(),
      approve(),
      activateNow(),
      approve(),
      activateNow(),
    ]);
    const second = await Promise.allSettled([activateNow(), approve(), activateNow(), activateNow()]);
    const succeeded = (results: PromiseSettledResult<unknown>[], indexes: number[]) =>
      indexes.filter((i) => results[i]?.status === 'fulfilled').length;
    expect(succeeded(first, [0, 2, 4]) + succeeded(second, [1])).toBe(1);
    expect(succeeded(first, [1, 3, 5]) + succeeded(second, [0, 2, 3])).toBe(1);
    for (const result of [...first, ...second]) {
      if (result.status === 'rejected') expect(result.reason.name).toBe('ConflictError');
    }

    const record = await until(async () => {
      const found = await recordOf(placed.id);
      return found.status === 'completed' ? found : null;
    });
    expect(await activity('order.approved', placed.id)).toBe(1);
    expect(await activity('fulfillment.activation_scheduled', record.id)).toBe(1);
    expect(await activity('fulfillment.activate_now', record.id)).toBe(1);
    expect(await activity('order.activation_started', placed.id)).toBe(1);
    const changes = await em().find(DomainEvent, { type: 'fulfillment.status_changed', subjectId: record.id });
    const transitions = changes.map((event) => {
      const payload = event.payload as { from: string; to: string };
      return `${payload.from}→${payload.to}`;
    });
    expect(transitions.sort()).toEqual(
      ['queued→scheduled', 'scheduled→queued', 'queued→processing', 'processing→completed'].sort(),
    );
    expect(await mailsTo(email, 'order_approved')).toBe(1);
    const profiles = (await sandbox.control<{ profiles: SandboxEsim[] }>('/_control/esimaccess/profiles')).profiles;
    expect(profiles.filter((profile) => profile.transactionId.startsWith(record.id))).toHaveLength(1);
  });
});
