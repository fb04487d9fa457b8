import { revealInstancePassword } from '@handover/core';
import { ActivityLog, DedicatedInstance, FulfillmentLog, FulfillmentStep } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { placeOrder, runJob, settledRecord } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';
import {
  createDedicatedProduct,
  downloadsFolder,
  marketplaceAdapters,
  marketplaceSandboxEnv,
} from './support/marketplace';
import { startTestSandbox, type TestSandbox } from './support/sandbox';

interface SandboxInstance {
  id: string;
  status: string;
  template: string;
  plan: string;
  region: string;
  domain: { hostname: string; cname_target: string | null };
  admin: { username: string; password: string } | null;
}

describe('saas-singletenant driver (seed 003 §3.1 dedicated instances)', () => {
  const db = useTestDatabase({ poolMax: 10 });
  const downloads = downloadsFolder();
  let sandbox: TestSandbox;
  let worker: InProcessWorker;
  let n = 0;

  const em = () => db.orm.em.fork();
  const settled = (id: string, statuses: string[]) => settledRecord(em, id, statuses);
  const instances = async () => {
    const res = await fetch(`${sandbox.url}/_control/instance-provisioning/instances`);
    return ((await res.json()) as { instances: SandboxInstance[] }).instances;
  };
  const order = async (line: Record<string, unknown>) => {
    const product = await createDedicatedProduct(em(), { slug: `crm-${++n}` });
    return placeOrder(em(), worker.registry, product, [line]);
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox(marketplaceSandboxEnv);
    worker = await startInProcessWorker(db, marketplaceAdapters(sandbox.url, downloads.root));
  });
  afterAll(async () => {
    await worker?.stop();
    await sandbox?.close();
    downloads.remove();
  });
  beforeEach(() => sandbox.reset());

  it('asks for an instance, polls until it is ready, and hands over its URL and first admin, sealed', async () => {
    const { order: placed, records } = await order({
      region: 'us-east',
      domainStrategy: 'subdomain',
      subdomain: 'Acme',
    });
    const record = await settled(records[0]?.id ?? '', ['active']);
    const [instance, ...others] = await instances();
    expect(others).toEqual([]);
    expect(instance).toMatchObject({
      status: 'ready',
      template: 'crm-standard',
      plan: 'small',
      region: 'us-east',
      domain: { hostname: 'acme.instances.sandbox.test', cname_target: null },
    });
    expect(record).toMatchObject({ subject: 'acme', externalReferenceId: instance?.id });
    expect(record.result).toEqual({
      url: 'https://acme.instances.sandbox.test',
      hostname: 'acme.instances.sandbox.test',
      cnameTarget: null,
      adminUsername: 'customer@example.com',
    });
    // Polled while provisioning, then done; the password is nowhere but sealed in dedicated_instances.
    const polls = await em().count(FulfillmentLog, {
      record: record.id,
      kind: 'provider_call',
      step: 'wait_until_ready',
    });
    expect(polls).toBeGreaterThanOrEqual(1);
    const password = instance?.admin?.password ?? '';
    const saved = await em().findOneOrFail(DedicatedInstance, { record: record.id });
    expect(saved).toMatchObject({ status: 'ready', url: 'https://acme.instances.sandbox.test' });
    expect(saved.adminPasswordEncrypted).not.toContain(password);
    const journal = await em().find(FulfillmentStep, { record: record.id });
    const logs = await em().find(FulfillmentLog, { record: record.id });
    expect(JSON.stringify([record, journal, logs])).not.toContain(password);

    const userId = placed.user.id;
    expect(await revealInstancePassword(em(), worker.secrets, { userId, recordId: record.id })).toEqual({
      username: 'customer@example.com',
      password,
    });
    expect(
      await em().count(ActivityLog, { action: 'dedicated_instance.password_revealed', subjectId: record.id }),
    ).toBe(1);
  });

  it('gives a custom domain the CNAME target the customer points it at', async () => {
    const { records } = await order({ region: null, domainStrategy: 'custom_domain', customDomain: 'CRM.Acme.com' });
    const record = await settled(records[0]?.id ?? '', ['active']);
    const [instance] = await instances();
    expect(instance?.region).toBe('eu-central');
    expect(record.result).toMatchObject({
      hostname: 'crm.acme.com',
      cnameTarget: `${instance?.id.replace('_', '-')}.instances.sandbox.test`,
    });
  });

  it('fails, and deletes nothing it did not make, when provisioning breaks at the provider', async () => {
    // Provisioning that would take a minute, so the failure below lands while it is still under way
    // however slow the machine (the sandbox's reset restores the usual delay).
    const slow = await fetch(`${sandbox.url}/_control/instance-provisioning/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ readyAfterMs: 60_000 }),
    });
    expect(slow.status).toBe(200);
    const { records } = await order({ domainStrategy: 'subdomain', subdomain: 'broken' });
    const id = records[0]?.id ?? '';
    await settled(id, ['awaiting_provider']);
    const [instance] = await instances();
    const broken = await fetch(`${sandbox.url}/_control/instance-provisioning/instances/${instance?.id}/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'template_broken', message: 'The CRM installer failed' }),
    });
    expect(broken.status).toBe(200);
    const failed = await settled(id, ['failed']);
    expect(failed.lastError).toContain('The CRM installer failed (template_broken)');
    // The failed instance was deleted by the rollback, freeing its name.
    expect(await instances()).toEqual([]);
    expect((await em().findOneOrFail(DedicatedInstance, { record: id })).status).toBe('deleted');
  });

  it('suspends and resumes the instance with the subscription, and deletes it on a refund', async () => {
    const { records } = await order({ domainStrategy: 'subdomain', subdomain: 'cycle' });
    const id = records[0]?.id ?? '';
    await settled(id, ['active']);
    await runJob(em(), 'suspend_fulfillment', { recordId: id });
    await settled(id, ['suspended']);
    expect((await instances())[0]?.status).toBe('suspended');
    await runJob(em(), 'resume_fulfillment', { recordId: id });
    await settled(id, ['active']);
    expect((await instances())[0]?.status).toBe('ready');
    await runJob(em(), 'cancel_fulfillment', { recordId: id });
    await settled(id, ['cancelled']);
    expect(await instances()).toEqual([]);
    expect((await em().findOneOrFail(DedicatedInstance, { record: id })).status).toBe('deleted');
  });
});
