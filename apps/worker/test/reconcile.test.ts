import { DEFAULT_RECONCILE_SETTINGS, queueDueSyncs } from '@handover/core';
import { ActivityLog, AdminAlert, FulfillmentLog, FulfillmentRecord } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { createM365DomainAdapter, PlugsaasClient } from '@handover/integrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, stockPool, until } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';
import { createM365DomainProduct, m365OrderForm } from './support/m365';
import { startTestSandbox, type TestSandbox } from './support/sandbox';

describe('reconcile: delivered records checked against their provider (the driver syncStatus)', () => {
  const db = useTestDatabase({ poolMax: 10 });
  let sandbox: TestSandbox;
  let worker: InProcessWorker;
  let plugsaas: PlugsaasClient;
  const em = () => db.orm.em.fork();

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    plugsaas = new PlugsaasClient({
      baseUrl: sandbox.plugsaasEnv.PLUGSAAS_API_URL,
      apiKey: sandbox.plugsaasEnv.PLUGSAAS_API_KEY,
      timeoutMs: 5_000,
    });
    worker = await startInProcessWorker(db, [createM365DomainAdapter(plugsaas)]);
  });
  afterAll(async () => {
    await worker?.stop();
    await sandbox?.close();
  });

  it('logs what the provider says, alerts ops once when it has lost a delivered order, and waits the interval before asking again', async () => {
    await stockPool(em(), worker.secrets, 'reconcile-pool', 2);
    const product = await createM365DomainProduct(em(), { slug: 'reconcile-m365', pool: 'reconcile-pool' });
    const { records } = await placeOrder(em(), worker.registry, product, [m365OrderForm(['kept.com', 'lost.com'])]);
    const delivered = await until(async () => {
      const found = await em().find(FulfillmentRecord, { id: records.map((r) => r.id), status: 'completed' });
      return found.length === 2 ? found : null;
    });
    const kept = delivered.find((r) => r.subject === 'kept.com');
    const lost = delivered.find((r) => r.subject === 'lost.com');
    if (!kept?.externalReferenceId || !lost?.externalReferenceId) throw new Error('records without a reference');
    // Someone deleted the order at PlugSaaS behind our back.
    await plugsaas.deleteOrder(lost.externalReferenceId);

    const now = new Date();
    expect(await queueDueSyncs(em(), worker.registry, now)).toBe(2);
    const syncLogs = await until(async () => {
      const logs = await em().find(FulfillmentLog, { kind: 'sync' }, { orderBy: { createdAt: 'asc' } });
      return logs.length === 2 ? logs : null;
    });
    expect(syncLogs.find((l) => l.record?.id === kept.id)).toMatchObject({
      status: 'success',
      step: 'sync_status',
      errorMessage: 'The provider says active',
    });
    expect(syncLogs.find((l) => l.record?.id === lost.id)).toMatchObject({
      status: 'failed',
      errorMessage: `The record is completed; the provider says missing: PlugSaaS no longer has order ${lost.externalReferenceId}`,
    });
    // The provider's answers themselves are in the log, as every provider call is.
    const calls = await em().find(FulfillmentLog, { kind: 'provider_call', step: 'sync_status' });
    expect(calls.map((c) => [c.record?.id, c.httpStatus]).sort()).toEqual(
      [
        [kept.id, 200],
        [lost.id, 404],
      ].sort(),
    );

    const alerts = await em().find(AdminAlert, { type: 'provider_drift' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ subjectId: lost.id, severity: 'critical' });
    expect(await em().count(ActivityLog, { action: 'fulfillment.provider_drift', subjectId: lost.id })).toBe(1);
    // The record is left for a person to judge.
    expect(await em().findOneOrFail(FulfillmentRecord, { id: lost.id })).toMatchObject({ status: 'completed' });

    // Asked a moment ago: not again until the interval has passed; then again, with no second open alert.
    expect(await queueDueSyncs(em(), worker.registry, new Date(now.getTime() + 60_000))).toBe(0);
    const later = new Date(now.getTime() + DEFAULT_RECONCILE_SETTINGS.intervalMs + 1);
    expect(await queueDueSyncs(em(), worker.registry, later)).toBe(2);
    await until(async () => (await em().count(FulfillmentLog, { kind: 'sync' })) === 4);
    expect(await em().count(AdminAlert, { type: 'provider_drift' })).toBe(1);
  });
});
