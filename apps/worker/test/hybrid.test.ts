import { completeManualTask, getCustomerOrder, listCustomerProducts } from '@handover/core';
import { FulfillmentStep, License, ManualTask, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, runJob, settledRecord } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';
import { createHybridProduct, downloadsFolder, marketplaceAdapters, stockKeyRing } from './support/marketplace';

describe('hybrid driver (seed 003: the customer picks the path at checkout)', () => {
  const db = useTestDatabase({ poolMax: 10 });
  const downloads = downloadsFolder();
  let worker: InProcessWorker;
  let n = 0;
  const em = () => db.orm.em.fork();
  const settled = (id: string, statuses: string[]) => settledRecord(em, id, statuses);
  const order = async (line: Record<string, unknown>) => {
    const product = await createHybridProduct(em(), { slug: `analytics-${++n}` });
    return placeOrder(em(), worker.registry, product, [line], { email: `buyer-${n}@example.com` });
  };

  beforeAll(async () => {
    worker = await startInProcessWorker(db, marketplaceAdapters('http://127.0.0.1:9', downloads.root));
    await stockKeyRing(em(), worker.secrets);
  });
  afterAll(async () => {
    await worker?.stop();
    downloads.remove();
  });

  it('delivers the licence path with the licence driver, and shows the customer only its steps', async () => {
    const { order: placed, records } = await order({ path: 'self-hosted', input: { licensee: 'Orbit Labs' } });
    const record = await settled(records[0]?.id ?? '', ['active']);
    expect(record.subject).toBe('self-hosted');
    expect(await em().findOneOrFail(License, { record: record.id })).toMatchObject({
      licensee: 'Orbit Labs',
      productCode: 'INVOICING-2',
      status: 'active',
    });
    expect(record.result).toMatchObject({ path: 'self-hosted', files: 'Invoicing 2.4.0' });
    const journal = await em().find(FulfillmentStep, { record: record.id }, { orderBy: { position: 'asc' } });
    expect(journal.map((s) => [s.name, s.output?.skipped === true])).toEqual([
      ['license.issue_license', false],
      ['license.grant_downloads', false],
      ['download.grant_downloads', true],
      ['saas-multitenant.onboard_tenant', true],
      ['saas-multitenant.wait_until_active', true],
      ['saas-singletenant.create_instance', true],
      ['saas-singletenant.wait_until_ready', true],
      ['manual.perform', true],
    ]);
    const user = await em().findOneOrFail(User, { email: placed.email });
    const seen = await getCustomerOrder(em(), user.id, { id: placed.id }, worker.registry);
    expect(seen.items[0]?.deliveries[0]?.timeline.map((step) => step.label)).toEqual([
      'Issuing your licence key',
      'Preparing your downloads',
    ]);

    // Its lifecycle goes to the licence driver: a refund revokes the licence.
    await runJob(em(), 'cancel_fulfillment', { recordId: record.id });
    await settled(record.id, ['cancelled']);
    expect((await em().findOneOrFail(License, { record: record.id })).status).toBe('revoked');
  });

  it('hands the managed path to our team, and shows the result as an installation', async () => {
    const { order: placed, records } = await order({ path: 'managed', input: { notes: 'Please host it in Europe' } });
    const waiting = await settled(records[0]?.id ?? '', ['manual_pending']);
    const task = await em().findOneOrFail(ManualTask, { record: waiting.id });
    expect(task.instructions).toContain('Please host it in Europe');
    const operator = em().create(User, { email: `ops-${n}@example.com`, role: 'ops' });
    await em().persistAndFlush(operator);
    await completeManualTask(
      em(),
      task.id,
      { note: 'Installed at analytics.orbit.example' },
      { type: 'user', id: operator.id },
      new Date(),
    );
    const done = await settled(waiting.id, ['active']);
    expect(done.result).toEqual({ path: 'managed', note: 'Installed at analytics.orbit.example' });
    const user = await em().findOneOrFail(User, { email: placed.email });
    expect((await listCustomerProducts(em(), user.id)).installations).toMatchObject([
      { kind: 'managed_setup', productName: 'Analytics suite', note: 'Installed at analytics.orbit.example' },
    ]);
  });

  it('refuses a path the product does not offer, before payment', async () => {
    const adapter = worker.registry.get('hybrid');
    const product = await createHybridProduct(em(), { slug: `analytics-${++n}` });
    const config = adapter.configSchema.parse(product.fulfillmentConfig);
    expect(adapter.checkLine?.({ path: 'cloud', input: {} }, config)).toEqual({
      path: ['Choose one of: Run it yourself, Managed setup by our team'],
    });
    expect(adapter.checkLine?.({ path: 'self-hosted', input: { licensee: 'x'.repeat(201) } }, config)).toEqual({
      'input.licensee': ['Keep it under 200 characters'],
    });
  });
});
