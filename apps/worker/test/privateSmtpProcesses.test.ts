import { DriverRegistry } from '@handover/core';
import { FulfillmentRecord, OrderAutomation, OrderEmail, WorkerNode } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { type ManagedProcess, startProcess } from '@handover/scripts/processes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, until } from './support/fixtures';
import { testKeys } from './support/inProcessWorker';
import {
  createPrivateSmtpProduct,
  createTestPrivateSmtpAdapter,
  PRIVATE_SMTP_SANDBOX_ENV,
  privateSmtpEnv,
  privateSmtpLine,
  vendorControl,
} from './support/privateSmtp';
import { startTestSandbox, type TestSandbox } from './support/sandbox';
import { testSecretBox } from './support/secrets';

/**
 * Seed 001 "Duplicate Mailbox Prevention" against a crash: a worker process killed with SIGKILL
 * while Mailin.ai is creating the mailboxes, and another taking the record over.
 */
describe('private SMTP mailboxes across a killed worker process', () => {
  const db = useTestDatabase({ poolMax: 10 });
  const workers: ManagedProcess[] = [];
  let sandbox: TestSandbox;

  const em = () => db.orm.em.fork();
  const start = (name: string) => {
    const worker = startProcess({
      name,
      entry: 'apps/worker/src/main.ts',
      env: {
        DATABASE_URL: db.url,
        HANDOVER_ENCRYPTION_KEYS: testKeys,
        ...sandbox.plugsaasEnv,
        ...privateSmtpEnv(sandbox.url),
        // Required by the data-bundle driver; nothing in this test reaches AT-iShare.
        AT_ISHARE_API_URL: 'http://127.0.0.1:9/at-ishare',
        AT_ISHARE_API_KEY: 'not-used-in-this-test',
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
        // Debug, so that a secret leaking into any log line would show in the output checked below.
        LOG_LEVEL: 'debug',
        WORKER_CONCURRENCY: '4',
        WORKER_POLL_INTERVAL_MS: '200',
        WORKER_HEARTBEAT_MS: '200',
        WORKER_STALE_AFTER_MS: '1500',
        FULFILLMENT_LEASE_MS: '3000',
        // No mail server here: messages wait in the outbox.
        SMTP_PORT: '9',
      },
    });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox(PRIVATE_SMTP_SANDBOX_ENV);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGTERM', 10_000)));
    await sandbox?.close();
  });

  it('creates one set of mailboxes when the worker is SIGKILLed during their creation', async () => {
    const product = await createPrivateSmtpProduct(em(), { slug: 'private-smtp' });
    const registry = new DriverRegistry([createTestPrivateSmtpAdapter(sandbox.url)]);
    // The creation is held at Mailin.ai long enough to kill the worker waiting for its answer.
    await sandbox.setFault('mailin', { latencyMs: 2_000, pathIncludes: '/public/mailboxes' });
    const first = start('worker-1');
    await until(async () => (await em().count(WorkerNode, {})) > 0, { what: 'the first worker' });
    const line = await privateSmtpLine(em(), testSecretBox(), { domains: ['crash-test.com'] });
    const { records } = await placeOrder(em(), registry, product, [line]);
    const id = records[0]?.id ?? '';
    await until(
      async () => ((await sandbox.calls('mailin')).endpoints['POST /mailin/api/v1/public/mailboxes'] ?? 0) >= 1,
      {
        what: 'the mailbox creation call',
      },
    );
    await first.kill();
    await sandbox.clearFault('mailin');

    start('worker-2');
    await until(async () => (await em().findOneOrFail(FulfillmentRecord, { id })).status === 'completed', {
      what: 'completion after the crash',
      timeoutMs: 60_000,
    });
    const vendors = vendorControl(sandbox.url);
    expect((await vendors.mailboxes()).map((m) => m.username).sort()).toEqual([
      'ama@crash-test.com',
      'sales@crash-test.com',
    ]);
    expect(await vendors.jobs()).toHaveLength(1);
    expect((await sandbox.calls('mailin')).idempotencyKeys[`${id}:create_mailboxes`]).toBeGreaterThanOrEqual(2);
    expect(await em().count(OrderEmail, { record: id, mailinMailboxId: { $ne: null } })).toBe(2);
    expect(await em().count(OrderAutomation, { record: id })).toBe(1);

    const box = testSecretBox();
    const passwords = (await em().find(OrderEmail, { record: id })).map((m) => box.decrypt(m.passwordEncrypted));
    const output = workers.map((w) => w.output()).join('\n');
    for (const secret of [
      PRIVATE_SMTP_SANDBOX_ENV.SPACESHIP_SANDBOX_API_SECRET,
      PRIVATE_SMTP_SANDBOX_ENV.MAILIN_AI_PASSWORD,
      ...passwords,
    ]) {
      expect(output).not.toContain(secret);
    }
  });
});
