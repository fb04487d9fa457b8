import { DriverRegistry, parseEncryptionKeys, SecretBox } from '@handover/core';
import { AdminAlert, FulfillmentRecord, InventoryItem, PendingCompensation } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { buildDrivers } from '@handover/integrations';
import { type Stack, startStack } from '@handover/scripts/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, stockPool, until } from './support/fixtures';
import { createM365DomainProduct, m365OrderForm } from './support/m365';
import { type SandboxControl, sandboxControl } from './support/sandbox';

/**
 * Found by the chaos suite: PlugSaaS created an order but its answer was lost, the record then
 * failed for good, and its rollback skipped the order it did not know about: the Microsoft account
 * went back to the pool while still in that live order, and was given to the next customer.
 */
describe('an order the provider made but whose answer was lost, on a record that fails', () => {
  const db = useTestDatabase();
  let stack: Stack;
  let registry: DriverRegistry;
  const em = () => db.orm.em.fork();
  let sandbox: SandboxControl;
  const status = async (id: string) => (await em().findOneOrFail(FulfillmentRecord, id)).status;

  beforeAll(async () => {
    stack = await startStack({ databaseUrl: db.url, workerEnv: { COMPENSATION_RETRY_SECONDS: '1,1' } });
    await stack.startWorker();
    sandbox = sandboxControl(stack.sandboxUrl);
    registry = new DriverRegistry(buildDrivers(stack.vendorEnv, 'test'));
  });
  afterAll(() => stack?.stop());

  it('deletes that order before the account goes back to the pool, so the next customer gets it alone', async () => {
    await stockPool(em(), new SecretBox(parseEncryptionKeys(stack.keys.encryptionKeys)), 'lost-answer', 1);
    const product = await createM365DomainProduct(em(), {
      slug: 'lost-answer',
      pool: 'lost-answer',
      retryPolicy: { maxAttempts: 1, backoffSeconds: [0.2] },
    });
    // PlugSaaS makes the order, and the answer never reaches Handover.
    await sandbox.setFault('plugsaas', { lostAnswerRate: 1, pathIncludes: 'addOrder', remaining: 1 });
    const first = (await placeOrder(em(), registry, product, [m365OrderForm(['lost.example'], 'first@example.com')]))
      .records[0]?.id as string;
    await until(async () => (await status(first)) === 'failed', { what: 'the first record failed' }).catch((error) => {
      throw new Error(`${(error as Error).message}\n${stack.output()}`);
    });
    expect((await sandbox.calls('plugsaas')).faulted).toBe(1);

    const second = (await placeOrder(em(), registry, product, [m365OrderForm(['next.example'], 'next@example.com')]))
      .records[0]?.id as string;
    await until(async () => (await status(second)) === 'completed', {
      timeoutMs: 30_000,
      what: 'the second record completed',
    });
    const orders = await sandbox.plugsaasOrders();
    const emails = orders.map((o) => o.microsoftEmail);
    expect(new Set(emails).size, `accounts in live PlugSaaS orders: ${JSON.stringify(orders)}`).toBe(emails.length);
    expect(orders.map((o) => o.domain)).toEqual(['next.example']);
    const [account] = await em().find(InventoryItem, { pool: { slug: 'lost-answer' } });
    expect(account).toMatchObject({ status: 'assigned', record: { id: second } });
  });

  it('quarantines the account while that order cannot be found and deleted, and frees it once it is', async () => {
    await stockPool(em(), new SecretBox(parseEncryptionKeys(stack.keys.encryptionKeys)), 'lost-twice', 1);
    const product = await createM365DomainProduct(em(), {
      slug: 'lost-twice',
      pool: 'lost-twice',
      retryPolicy: { maxAttempts: 1, backoffSeconds: [0.2] },
    });
    // Every addOrder is carried out and its answer lost, the undo's too.
    await sandbox.setFault('plugsaas', { lostAnswerRate: 1, pathIncludes: 'addOrder' });
    const first = (await placeOrder(em(), registry, product, [m365OrderForm(['twice.example'], 'twice@example.com')]))
      .records[0]?.id as string;
    await until(async () => (await em().findOne(PendingCompensation, { record: first }))?.status === 'pending', {
      what: 'the undo waiting to be tried again',
    });
    expect(await status(first)).toBe('failed');
    const [account] = await em().find(InventoryItem, { pool: { slug: 'lost-twice' } });
    expect(account).toMatchObject({ status: 'quarantined', record: { id: first } });
    expect(account?.quarantineReason).toContain('undoing create_plugsaas_order failed');
    const [alert] = await em().find(AdminAlert, { type: 'rollback_failure', subjectId: first });
    expect(alert?.resolvedAt).toBeNull();
    const twice = async () => (await sandbox.plugsaasOrders()).filter((o) => o.domain === 'twice.example');
    expect(await twice()).toHaveLength(1);

    // PlugSaaS answers again: the background undo finds the order under the attempt's key and deletes it.
    await sandbox.clearFault('plugsaas');
    await until(async () => (await em().findOne(PendingCompensation, { record: first }))?.status === 'done', {
      what: 'the undo finished in the background',
    });
    expect(await twice()).toEqual([]);
    expect(await em().findOneOrFail(InventoryItem, { id: account?.id })).toMatchObject({
      status: 'available',
      record: null,
    });
    expect((await em().findOneOrFail(AdminAlert, { id: alert?.id })).resolvedAt).not.toBeNull();
  });
});
