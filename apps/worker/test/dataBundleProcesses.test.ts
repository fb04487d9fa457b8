import { DriverRegistry } from '@handover/core';
import { FulfillmentRecord, WorkerNode } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { type ManagedProcess, startProcess } from '@handover/scripts/processes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AT_ISHARE_API_KEY,
  bundleAdapter,
  bundleSandbox,
  bundleSandboxEnv,
  createBundleProduct,
} from './support/dataBundles';
import { placeOrder, until } from './support/fixtures';
import { testKeys } from './support/inProcessWorker';
import { startTestSandbox, type TestSandbox } from './support/sandbox';

/**
 * Seed 002's "duplicate fulfillment" risk with real processes: the worker is killed after the
 * reseller delivered the bundle but before its answer reached Handover, so nothing of it was
 * written down. Another worker takes the record over and asks again under the same idempotency
 * key: the reseller replays the first delivery, and the customer gets one bundle.
 */
describe('a data bundle whose worker dies between the reseller’s answer and the commit', () => {
  const db = useTestDatabase();
  const workers: ManagedProcess[] = [];
  let sandbox: TestSandbox;

  const start = (name: string) => {
    const worker = startProcess({
      name,
      entry: 'apps/worker/src/main.ts',
      env: {
        DATABASE_URL: db.url,
        HANDOVER_ENCRYPTION_KEYS: testKeys,
        LOG_LEVEL: 'warn',
        WORKER_POLL_INTERVAL_MS: '200',
        WORKER_HEARTBEAT_MS: '200',
        WORKER_STALE_AFTER_MS: '1500',
        FULFILLMENT_LEASE_MS: '3000',
        SMTP_PORT: '9',
        // Required by the m365-domain driver; nothing here reaches PlugSaaS.
        PLUGSAAS_API_URL: 'http://127.0.0.1:9/plugsaas',
        PLUGSAAS_API_KEY: 'not-used-in-this-test',
        AT_ISHARE_API_URL: `${sandbox.url}/at-ishare`,
        AT_ISHARE_API_KEY,
        ESIMACCESS_API_URL: 'http://127.0.0.1:9/esimaccess',
        ESIMACCESS_ACCESS_CODE: 'not-used-in-this-test',
        ESIMACCESS_SECRET_KEY: 'not-used-in-this-test',
        // Required by the saas-singletenant, license and download drivers; never reached here.
        INSTANCE_PROVISIONING_API_URL: 'http://127.0.0.1:9/instance-provisioning',
        INSTANCE_PROVISIONING_API_KEY: 'not-used-in-this-test',
        DOWNLOADS_DIR: '/nonexistent/handover-downloads',
        WHMCS_API_URL: 'http://127.0.0.1:9/whmcs',
        WHMCS_API_IDENTIFIER: 'not-used-in-this-test',
        WHMCS_API_SECRET: 'not-used-in-this-test',
        WHMCS_CUSTOMER_NUMBER_FIELD_ID: '1',
        // Long enough that the worker is still waiting for the answer when it is killed.
        AT_ISHARE_TIMEOUT_MS: '60000',
      },
    });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox(bundleSandboxEnv);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGTERM', 10_000)));
    await sandbox?.close();
  });

  it('delivers once', async () => {
    const em = () => db.orm.em.fork();
    const reseller = bundleSandbox(sandbox.url);
    await reseller.failNext({ failure: 'lost_answer', remaining: 1 });
    const product = await createBundleProduct(em(), { slug: 'at-ishare-10gb' });
    const registry = new DriverRegistry([bundleAdapter(sandbox.url)]);
    const first = start('worker-1');
    await until(async () => (await em().count(WorkerNode, {})) > 0 || first.child.exitCode !== null, {
      what: 'the first worker',
    });
    expect(first.child.exitCode, first.output()).toBeNull();

    const { records } = await placeOrder(em(), registry, product, [
      { network: 'AT-iShare', sizeGb: 10, phoneNumber: '0271234567' },
    ]);
    const id = records[0]?.id ?? '';
    // The reseller has delivered; its answer is held back, and the worker waits for it.
    const [delivered] = await until(
      async () => {
        const deliveries = await reseller.deliveries();
        return deliveries.length > 0 ? deliveries : null;
      },
      { what: 'the delivery at the reseller' },
    );
    await first.kill();
    expect((await em().findOneOrFail(FulfillmentRecord, { id })).externalReferenceId).toBeNull();

    start('worker-2');
    const done = await until(
      async () => {
        const record = await em().findOneOrFail(FulfillmentRecord, { id });
        return record.status === 'completed' && record;
      },
      { what: 'completion after the crash' },
    );
    expect(done.externalReferenceId).toBe(delivered?.reference);
    expect(await reseller.deliveries()).toHaveLength(1);
    const calls = await sandbox.calls('at-ishare');
    expect(calls.idempotencyKeys).toEqual({ [`${id}:deliver_bundle`]: 2 });
  });
});
