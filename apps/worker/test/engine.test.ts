import { cancelRecord, completeManualTask, retryRecords, SYSTEM } from '@handover/core';
import {
  ActivityLog,
  AdminAlert,
  FulfillmentLog,
  FulfillmentRecord,
  FulfillmentStep,
  InventoryItem,
  ManualTask,
  Notification,
  Order,
  OutboxMessage,
  User,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { createTestkitAdapter, TestkitClient } from '@handover/integrations';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { announceRestock, createTestkitProduct, placeOrder, stockPool, until } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';
import { startTestSandbox, type TestSandbox } from './support/sandbox';

describe('fulfillment engine', () => {
  const db = useTestDatabase({ poolMax: 10 });
  let sandbox: TestSandbox;
  let worker: InProcessWorker;
  let slug = 0;

  const em = () => db.orm.em.fork();
  const record = (id: string) => em().findOneOrFail(FulfillmentRecord, { id });
  const settled = (id: string, statuses: string[]) =>
    until(
      async () => {
        const r = await record(id);
        return statuses.includes(r.status) && r.lockedBy === null ? r : null;
      },
      { what: `record ${id} in ${statuses.join('/')}` },
    );

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    worker = await startInProcessWorker(db, [createTestkitAdapter(new TestkitClient({ baseUrl: sandbox.testkitUrl }))]);
  });
  afterAll(async () => {
    await worker?.stop();
    await sandbox?.close();
  });
  beforeEach(() => sandbox.reset());

  const product = (options: Omit<Parameters<typeof createTestkitProduct>[1], 'slug'> = {}) =>
    createTestkitProduct(em(), { slug: `p${++slug}`, ...options });

  it('runs every step once, journals them, and completes the record and its order', async () => {
    const p = await product();
    const { order, records } = await placeOrder(em(), worker.registry, p, [{ label: 'alpha' }]);
    const [r] = records;
    const done = await settled(r?.id ?? '', ['completed']);

    expect(done.result).toEqual({ resourceId: expect.stringMatching(/^res_/) });
    const steps = await em().find(FulfillmentStep, { record: done.id }, { orderBy: { position: 'asc' } });
    expect(steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['reserve', 'done', 1],
      ['create', 'done', 1],
      ['await_ready', 'done', 1],
      ['review', 'done', 1],
      ['activate', 'done', 1],
    ]);
    expect(steps[1]?.idempotencyKey).toBe(`${done.id}:create`);

    const stats = await sandbox.testkitStats();
    expect(stats.creations).toEqual({ [`${done.id}:create`]: 1 });

    const finished = await em().findOneOrFail(Order, { id: order.id });
    expect(finished.fulfillmentStatus).toBe('completed');
    const calls = await em().find(FulfillmentLog, { record: done.id, kind: 'provider_call' });
    expect(calls.map((c) => `${c.method} ${c.httpStatus}`).sort()).toEqual(['GET 200', 'POST 200', 'POST 201']);
    const activity = await em().find(ActivityLog, { subjectId: done.id }, { orderBy: { id: 'asc' } });
    expect(activity.map((a) => a.action)).toEqual(['fulfillment.processing', 'fulfillment.completed']);
    expect(await em().count(OutboxMessage, { template: 'order_completed', recipient: 'customer@example.com' })).toBe(1);
  });

  it('retries transient provider failures with the policy, then completes', async () => {
    const p = await product({ retryPolicy: { maxAttempts: 3, backoffSeconds: [0.1, 0.1] } });
    await sandbox.setFault('testkit', { errorRate: 1, statusCode: 503, pathIncludes: '/v1/resources', remaining: 2 });
    const { records } = await placeOrder(em(), worker.registry, p, [{ label: 'flaky' }]);
    const done = await settled(records[0]?.id ?? '', ['completed']);

    const attempts = await em().find(
      FulfillmentLog,
      { record: done.id, kind: 'attempt', step: 'create' },
      { orderBy: { id: 'asc' } },
    );
    expect(attempts.map((a) => [a.attemptNumber, a.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'success'],
    ]);
    expect(attempts[0]?.errorMessage).toBe('testkit answered 503: Sandbox fault: 503');
    expect(attempts[0]?.retryAfter).not.toBeNull();
    expect((await sandbox.testkitStats()).creations).toEqual({ [`${done.id}:create`]: 1 });
  });

  it('after the last attempt, undoes the done steps in reverse, fails, alerts ops and tells the customer', async () => {
    await stockPool(em(), worker.secrets, 'rollback-pool', 2);
    const p = await product({
      config: { inventoryPool: 'rollback-pool' },
      retryPolicy: { maxAttempts: 3, backoffSeconds: [0.05, 0.05] },
    });
    await sandbox.setFault('testkit', { errorRate: 1, statusCode: 502, pathIncludes: '/activate' });
    const { order, records } = await placeOrder(em(), worker.registry, p, [{ label: 'doomed' }]);
    const failed = await settled(records[0]?.id ?? '', ['failed']);

    expect(failed.lastError).toBe('testkit answered 502: Sandbox fault: 502 (after 3 attempts)');
    const steps = await em().find(FulfillmentStep, { record: failed.id }, { orderBy: { position: 'asc' } });
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['reserve', 'compensated'],
      ['create', 'compensated'],
      ['await_ready', 'compensated'],
      ['review', 'compensated'],
      ['activate', 'failed'],
    ]);
    const compensations = await em().find(
      FulfillmentLog,
      { record: failed.id, kind: 'compensation' },
      { orderBy: { id: 'asc' } },
    );
    expect(compensations.filter((c) => c.method === null).map((c) => c.step)).toEqual([
      'review',
      'await_ready',
      'create',
      'reserve',
    ]);
    // The provider object is deleted and the account is back in the pool (seed 000's rollback).
    const stats = await sandbox.testkitStats();
    expect(stats.resources.map((r) => r.status)).toEqual(['deleted']);
    expect(await em().count(InventoryItem, { pool: { slug: 'rollback-pool' }, status: 'available' })).toBe(2);
    expect(await em().count(InventoryItem, { record: failed.id })).toBe(0);

    const alert = await em().findOneOrFail(AdminAlert, { type: 'fulfillment_failure', subjectId: failed.id });
    expect(alert.message).toContain(`Order ${order.orderCode} failed`);
    const email = await em().findOneOrFail(OutboxMessage, { template: 'fulfillment_failed' });
    expect(email.subject).toBe(`We could not complete order ${order.orderCode}`);
    expect(await em().findOneOrFail(Order, { id: order.id })).toMatchObject({
      fulfillmentStatus: 'failed',
      fulfillmentError: 'doomed: testkit answered 502: Sandbox fault: 502 (after 3 attempts)',
    });
  });

  it('does not retry a permanent refusal', async () => {
    const p = await product();
    const { records } = await placeOrder(em(), worker.registry, p, [{ label: 'refused', reject: true }]);
    const failed = await settled(records[0]?.id ?? '', ['failed']);
    expect(failed.lastError).toBe('testkit answered 422: Resource "refused" was refused');
    expect(failed.lastErrorCode).toBe('rejected');
    const attempts = await em().find(FulfillmentLog, { record: failed.id, kind: 'attempt', step: 'create' });
    expect(attempts.map((a) => [a.attemptNumber, a.status])).toEqual([[1, 'failed']]);
  });

  it('polls a provider that is still working, then completes', async () => {
    const p = await product();
    const { records } = await placeOrder(em(), worker.registry, p, [{ label: 'slow', readyAfterPolls: 3 }]);
    const done = await settled(records[0]?.id ?? '', ['completed']);
    const waits = await em().count(FulfillmentLog, {
      record: done.id,
      kind: 'attempt',
      step: 'await_ready',
      status: 'pending',
    });
    expect(waits).toBe(2);
  });

  it('fails a poll that never finishes within the limit', async () => {
    const p = await product({ config: { maxPolls: 3 } });
    const { records } = await placeOrder(em(), worker.registry, p, [{ label: 'stuck', readyAfterPolls: 1000 }]);
    const failed = await settled(records[0]?.id ?? '', ['failed']);
    expect(failed.lastErrorCode).toBe('poll_limit');
    expect(failed.lastError).toContain('had not finished after 3 checks');
  });

  it('opens a manual task and resumes when an operator completes it', async () => {
    const p = await product();
    const { records } = await placeOrder(em(), worker.registry, p, [{ label: 'by-hand', manual: true }]);
    const waiting = await settled(records[0]?.id ?? '', ['manual_pending']);
    const task = await em().findOneOrFail(ManualTask, { record: waiting.id });
    expect(task).toMatchObject({ step: 'review', status: 'open', title: 'Review by-hand', slaHours: 4 });

    const users = em();
    const operator = users.create(User, { email: 'ops@example.com', role: 'ops' });
    await users.flush();
    await completeManualTask(em(), task.id, { approvedBy: 'ops' }, { type: 'user', id: operator.id }, new Date());
    const done = await settled(waiting.id, ['completed']);
    const review = await em().findOneOrFail(FulfillmentStep, { record: done.id, name: 'review' });
    expect(review.output).toEqual({ approvedBy: 'ops' });
  });

  it('waits with an empty pool instead of failing, and resumes when stock is added', async () => {
    const p = await product({ config: { inventoryPool: 'empty-pool' } });
    await stockPool(em(), worker.secrets, 'empty-pool', 0);
    const { records } = await placeOrder(em(), worker.registry, p, [{ label: 'patient' }]);
    const waiting = await settled(records[0]?.id ?? '', ['awaiting_inventory']);
    expect(waiting.statusReason).toBe('Waiting for stock to be added');
    expect(await em().count(AdminAlert, { type: 'low_inventory' })).toBeGreaterThanOrEqual(1);

    await stockPool(em(), worker.secrets, 'empty-pool', 1, 500);
    await announceRestock(em(), 'empty-pool');
    const done = await settled(waiting.id, ['completed']);
    const item = await em().findOneOrFail(InventoryItem, { record: done.id });
    expect(item).toMatchObject({ status: 'assigned', customerEmail: 'customer@example.com', domain: 'patient' });
  });

  it('retries a failed record on request, redoing compensated steps with new idempotency keys', async () => {
    const p = await product({ retryPolicy: { maxAttempts: 1, backoffSeconds: [] } });
    await sandbox.setFault('testkit', { errorRate: 1, statusCode: 503, pathIncludes: '/activate', remaining: 1 });
    const { records } = await placeOrder(em(), worker.registry, p, [{ label: 'second-chance' }]);
    const failed = await settled(records[0]?.id ?? '', ['failed']);

    const [result] = await retryRecords(em(), [failed.id], SYSTEM, new Date());
    expect(result).toEqual({ recordId: failed.id, ok: true, message: 'Queued for another attempt' });
    const done = await settled(failed.id, ['completed']);
    const stats = await sandbox.testkitStats();
    expect(stats.creations).toEqual({ [`${done.id}:create`]: 1, [`${done.id}:create:g1`]: 1 });
    expect(await em().count(Notification, { type: 'order_status_change' })).toBeGreaterThanOrEqual(2);

    const again = await retryRecords(em(), [done.id], SYSTEM, new Date());
    expect(again[0]).toMatchObject({ ok: false, message: 'Only failed records can be retried; this one is completed' });
  });

  it('cancels a waiting record and undoes its done steps', async () => {
    await stockPool(em(), worker.secrets, 'cancel-pool', 1);
    const p = await product({ config: { inventoryPool: 'cancel-pool' } });
    const { records } = await placeOrder(em(), worker.registry, p, [{ label: 'changed-mind', manual: true }]);
    const waiting = await settled(records[0]?.id ?? '', ['manual_pending']);
    expect(await em().count(InventoryItem, { pool: { slug: 'cancel-pool' }, status: 'reserved' })).toBe(1);

    await cancelRecord(em(), waiting.id, SYSTEM, new Date(), 'Customer asked to cancel');
    await until(async () => (await em().count(FulfillmentStep, { record: waiting.id, status: 'compensated' })) === 3, {
      what: 'compensation',
    });
    expect((await record(waiting.id)).status).toBe('cancelled');
    expect(await em().count(InventoryItem, { pool: { slug: 'cancel-pool' }, status: 'available' })).toBe(1);
    expect(await em().findOneOrFail(ManualTask, { record: waiting.id })).toMatchObject({ status: 'cancelled' });
  });

  it('undoes at once a step that finished as an operator cancelled its record, not after the lease runs out', async () => {
    const p = await product();
    await sandbox.setFault('testkit', { latencyMs: 1000, pathIncludes: '/v1/resources', remaining: 1 });
    const { records } = await placeOrder(em(), worker.registry, p, [{ label: 'cancelled-mid-step' }]);
    const id = records[0]?.id ?? '';
    await until(async () => ((await record(id)).status === 'processing' ? true : null), { what: 'processing' });
    const cancelledAt = Date.now();
    await cancelRecord(em(), id, SYSTEM, new Date(), 'Customer asked to cancel');

    // The create call made the resource; its step is journalled and undone by the run that made it.
    await until(async () => (await sandbox.testkitStats()).resources.some((r) => r.status === 'deleted'), {
      what: 'the resource deleted',
      timeoutMs: 10_000,
    });
    await settled(id, ['cancelled']);
    expect(Date.now() - cancelledAt).toBeLessThan(30_000);
    expect(await em().findOneOrFail(FulfillmentStep, { record: id, name: 'create' })).toMatchObject({
      status: 'compensated',
      generation: 1,
    });
  });

  it('writes each status change with its activity, log and domain event, and the order’s with its own', async () => {
    const p = await product();
    const { order, records } = await placeOrder(em(), worker.registry, p, [{ label: 'evented' }]);
    const done = await settled(records[0]?.id ?? '', ['completed']);
    const events = await em().execute<{ type: string; subject_id: string; payload: Record<string, unknown> }[]>(
      'select type, subject_id, payload from domain_events where subject_id in (?, ?) order by created_at, type',
      [done.id, order.id],
    );
    const statusChanges = events
      .filter((e) => e.type === 'fulfillment.status_changed')
      .map((e) => [e.payload.from, e.payload.to, e.payload.by]);
    expect(statusChanges).toEqual([
      ['queued', 'processing', 'engine'],
      ['processing', 'completed', 'engine'],
    ]);
    expect(events.filter((e) => e.type === 'fulfillment.step_completed').map((e) => e.payload.step)).toEqual(
      expect.arrayContaining(['create', 'await_ready', 'review', 'activate']),
    );
    expect(
      events.filter((e) => e.type === 'order.fulfillment_status_changed').map((e) => [e.payload.from, e.payload.to]),
    ).toEqual([
      ['pending', 'processing'],
      ['processing', 'completed'],
    ]);
    // The completion email came from the listener of the order's event, in the same transaction.
    expect(await em().count(OutboxMessage, { template: 'order_completed', data: { orderId: order.id } })).toBe(1);
  });
});
