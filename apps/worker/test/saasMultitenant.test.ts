import { putKeyRingSecret, SYSTEM } from '@handover/core';
import { AdminAlert, ExternalTenantLink, FulfillmentLog, OutboxMessage } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { placeOrder, runJob, settledRecord } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';
import {
  createPosProduct,
  downloadsFolder,
  marketplaceAdapters,
  marketplaceSandboxEnv,
  POS_SECRET,
  POS_SECRET_REF,
  stockKeyRing,
} from './support/marketplace';
import { startTestSandbox, type TestSandbox } from './support/sandbox';

interface SandboxTenant {
  externalReference: string;
  externalTenantId: string;
  status: string;
  plan: string;
  orderId: string;
  orderItemId: string;
  options: Record<string, unknown>;
}

describe('saas-multitenant driver (seed 003 §8, §12 point-of-sale)', () => {
  const db = useTestDatabase({ poolMax: 10 });
  const downloads = downloadsFolder();
  let sandbox: TestSandbox;
  let worker: InProcessWorker;
  let n = 0;

  const em = () => db.orm.em.fork();
  const settled = (id: string, statuses: string[]) => settledRecord(em, id, statuses);
  const attemptsOf = async (recordId: string) =>
    (
      await em().find(
        FulfillmentLog,
        { record: recordId, kind: 'attempt', step: 'onboard_tenant' },
        { orderBy: { id: 'asc' } },
      )
    ).map((a) => [a.attemptNumber, a.status]);
  const tenants = async () => {
    const res = await fetch(`${sandbox.url}/_control/saas-provider/tenants`);
    return ((await res.json()) as { tenants: SandboxTenant[] }).tenants;
  };
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${sandbox.url}/_control/saas-provider${path}`, {
      method: path.startsWith('/products') ? 'PUT' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  };
  const order = async (options: { retryPolicy?: { maxAttempts: number; backoffSeconds: number[] } } = {}) => {
    const product = await createPosProduct(em(), sandbox.url, { slug: `pos-${++n}`, ...options });
    return placeOrder(em(), worker.registry, product, [
      { plan: 'growth', options: { business_name: 'Corner Café', locations: 2 } },
    ]);
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox(marketplaceSandboxEnv);
    worker = await startInProcessWorker(db, marketplaceAdapters(sandbox.url, downloads.root));
    await stockKeyRing(em(), worker.secrets);
  });
  afterAll(async () => {
    await worker?.stop();
    await sandbox?.close();
    downloads.remove();
  });
  beforeEach(() => sandbox.reset());

  it('onboards the order item with a signed call and shows the tenant’s workspace', async () => {
    const { order: placed, records } = await order();
    const record = await settled(records[0]?.id ?? '', ['active']);

    const [tenant, ...others] = await tenants();
    expect(others).toEqual([]);
    expect(tenant).toMatchObject({
      status: 'active',
      plan: 'growth',
      orderId: placed.id,
      orderItemId: record.orderItem.id,
      options: { business_name: 'Corner Café', locations: 2, currency: 'USD' },
    });
    // Seed 003 §8: the idempotency key is the order item, and the answer lands on the record.
    const calls = await sandbox.calls('saas-provider');
    expect(calls.idempotencyKeys).toEqual({ [`${placed.id}:${record.orderItem.id}`]: 1 });
    expect(record).toMatchObject({
      subject: 'Corner Café',
      externalReferenceId: tenant?.externalReference,
      externalWorkspaceUrl: expect.stringContaining(`/saas/point-of-sale/workspace/${tenant?.externalTenantId}`),
      externalCustomerId: expect.stringMatching(/^cus_/),
    });
    expect(record.result).toEqual({ workspaceUrl: record.externalWorkspaceUrl, plan: 'growth' });
    expect(await em().findOneOrFail(ExternalTenantLink, { fulfillmentRecord: record.id })).toMatchObject({
      provider: 'point-of-sale',
      externalTenantId: tenant?.externalTenantId,
      externalSubscriptionId: expect.stringMatching(/^sub_/),
      externalUserId: expect.stringMatching(/^usr_/),
      status: 'active',
    });
    // No secret and no signature in what ops read.
    const logs = await em().find(FulfillmentLog, { record: record.id, kind: 'provider_call' });
    expect(logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(logs)).not.toContain(POS_SECRET);
  });

  it('waits for a provider that sets tenants up in the background, then is active', async () => {
    await control('/products/point-of-sale', { onboardAs: 'provisioning' });
    const { records } = await order();
    const waiting = await settled(records[0]?.id ?? '', ['awaiting_provider']);
    expect(waiting.statusReason).toBe('Your workspace is being set up by the provider');
    const [tenant] = await tenants();
    await control(`/tenants/${tenant?.externalReference}/activate`, {});
    await settled(waiting.id, ['active']);
  });

  it('retries a provider that is down, then fails the item, alerts ops and tells the customer', async () => {
    await sandbox.setFault('saas-provider', { errorRate: 1, statusCode: 503 });
    try {
      const { order: placed, records } = await order({ retryPolicy: { maxAttempts: 3, backoffSeconds: [0.1, 0.2] } });
      const failed = await settled(records[0]?.id ?? '', ['failed']);
      expect(await attemptsOf(failed.id)).toEqual([
        [1, 'failed'],
        [2, 'failed'],
        [3, 'failed'],
      ]);
      expect(failed.lastErrorCode).toBe('provider_unavailable');
      const calls = await sandbox.calls('saas-provider');
      expect(calls.endpoints['POST /saas/:product/api/marketplace/onboard']).toBe(3);
      // The same order item, so the same key on every try: a tenant at most, whatever answered.
      expect(Object.values(calls.idempotencyKeys)).toEqual([3]);
      expect(await em().count(AdminAlert, { type: 'fulfillment_failure', subjectId: failed.id })).toBe(1);
      expect(await em().count(OutboxMessage, { template: 'fulfillment_failed', data: { orderId: placed.id } })).toBe(1);
    } finally {
      await sandbox.clearFault('saas-provider');
    }
  });

  it('fails at once, as a permanent refusal, when the key ring holds another secret than the provider', async () => {
    await putKeyRingSecret(em(), worker.secrets, { ref: POS_SECRET_REF, value: 'x'.repeat(40) }, SYSTEM);
    try {
      const { records } = await order();
      const failed = await settled(records[0]?.id ?? '', ['failed']);
      expect(failed.lastErrorCode).toBe('signature_refused');
      expect(await attemptsOf(failed.id)).toEqual([[1, 'failed']]);
      expect(await tenants()).toEqual([]);
    } finally {
      await putKeyRingSecret(em(), worker.secrets, { ref: POS_SECRET_REF, value: POS_SECRET }, SYSTEM);
    }
  });

  it('suspends, resumes and cancels the tenant through the provider, each cycle with its own key', async () => {
    const { records } = await order();
    const id = records[0]?.id ?? '';
    await settled(id, ['active']);
    const statusAtProvider = async () => (await tenants())[0]?.status;

    for (const cycle of [1, 2]) {
      await runJob(em(), 'suspend_fulfillment', { recordId: id });
      expect((await settled(id, ['suspended'])).status).toBe('suspended');
      expect(await statusAtProvider()).toBe('suspended');
      await runJob(em(), 'resume_fulfillment', { recordId: id });
      expect((await settled(id, ['active'])).statusReason).toBe('Restored: the subscription is paid again');
      expect(await statusAtProvider()).toBe('active');
      const keys = Object.keys((await sandbox.calls('saas-provider')).idempotencyKeys);
      expect(keys.filter((key) => key.endsWith(cycle === 1 ? ':suspend' : ':suspend:2'))).toHaveLength(1);
    }
    expect((await em().findOneOrFail(ExternalTenantLink, { fulfillmentRecord: id })).status).toBe('active');

    await runJob(em(), 'cancel_fulfillment', { recordId: id });
    await settled(id, ['cancelled']);
    expect(await statusAtProvider()).toBe('cancelled');
  });

  it('tests the connection with a signed call, and says when the secrets differ', async () => {
    const adapter = worker.registry.get('saas-multitenant');
    const config = adapter.configSchema.parse({
      base_url: `${sandbox.url}/saas/point-of-sale`,
      credentials_ref: POS_SECRET_REF,
    });
    const context = { em: em(), services: { secrets: worker.secrets } };
    expect(await adapter.testConnection?.(config, context)).toMatchObject({ ok: true });
    const missing = await adapter.testConnection?.({ ...config, credentials_ref: 'nobody/hmac' }, context);
    expect(missing).toEqual({
      ok: false,
      message: 'The key ring has no secret "nobody/hmac" to sign calls to the provider with',
    });
    await control('/products/point-of-sale', { secret: 'y'.repeat(40) });
    expect((await adapter.testConnection?.(config, context))?.message).toMatch(/refused our signature/);
  });
});
