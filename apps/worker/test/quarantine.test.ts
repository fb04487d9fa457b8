import {
  DriverRegistry,
  listPendingCompensations,
  parseEncryptionKeys,
  resolveCompensation,
  SecretBox,
} from '@handover/core';
import { AdminAlert, FulfillmentRecord, InventoryItem, PendingCompensation, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { buildDrivers } from '@handover/integrations';
import { type Stack, startStack } from '@handover/scripts/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, stockPool, until } from './support/fixtures';
import { createM365DomainProduct, m365OrderForm } from './support/m365';
import { type SandboxControl, sandboxControl } from './support/sandbox';

/**
 * A Microsoft account once ended up in two live PlugSaaS orders. A record failed, its
 * rollback's deleteOrder failed too, the account went back to the pool anyway and was given to
 * the next customer. Here the real worker runs against the sandbox's PlugSaaS with getNameservers
 * and deleteOrder failing, and a pool of one account.
 */
describe('an account whose rollback did not finish', () => {
  const db = useTestDatabase();
  let stack: Stack;
  let registry: DriverRegistry;
  const em = () => db.orm.em.fork();
  let sandbox: SandboxControl;
  const status = async (id: string) => (await em().findOneOrFail(FulfillmentRecord, id)).status;
  /** One Microsoft account never in two live PlugSaaS orders. */
  const expectNoAccountInTwoOrders = async () => {
    const emails = (await sandbox.plugsaasOrders()).map((o) => o.microsoftEmail);
    expect(new Set(emails).size).toBe(emails.length);
  };

  beforeAll(async () => {
    stack = await startStack({
      databaseUrl: db.url,
      // The undo is tried again twice, 2 s apart, then ops decide.
      workerEnv: { COMPENSATION_RETRY_SECONDS: '2,2' },
    });
    await stack.startWorker();
    sandbox = sandboxControl(stack.sandboxUrl);
    registry = new DriverRegistry(buildDrivers(stack.vendorEnv, 'test'));
  });
  afterAll(() => stack?.stop());

  const failingPlugsaas = () =>
    sandbox.setFault('plugsaas', {
      errorRate: 1,
      statusCode: 503,
      pathIncludes: ['getNameservers', 'deleteOrder'],
    });

  it('quarantines the account instead of giving it to the next customer, and returns it once the undo succeeds in the background', async () => {
    await stockPool(em(), new SecretBox(parseEncryptionKeys(stack.keys.encryptionKeys)), 'one-account', 1);
    const product = await createM365DomainProduct(em(), {
      slug: 'quarantine',
      pool: 'one-account',
      retryPolicy: { maxAttempts: 2, backoffSeconds: [0.2] },
    });
    await failingPlugsaas();
    const first = (await placeOrder(em(), registry, product, [m365OrderForm(['first.example'], 'first@example.com')]))
      .records[0]?.id as string;
    await until(async () => (await status(first)) === 'failed', { what: 'the first record failed' });

    const [account] = await em().find(InventoryItem, { pool: { slug: 'one-account' } });
    expect(account).toMatchObject({ status: 'quarantined', record: { id: first } });
    expect(account?.quarantineReason).toContain('undoing create_plugsaas_order failed');
    expect(await em().findOneOrFail(PendingCompensation, { record: first })).toMatchObject({
      status: 'pending',
      attempts: 1,
    });
    const [alert] = await em().find(AdminAlert, { type: 'rollback_failure', subjectId: first });
    expect(alert?.resolvedAt).toBeNull();
    expect(alert?.message).toContain('quarantined, not returned to its pool, until the undo succeeds');
    // The PlugSaaS order the undo could not delete is still there, with the account.
    expect((await sandbox.plugsaasOrders()).map((o) => o.domain)).toEqual(['first.example']);

    // The next customer waits: the only account is quarantined.
    const second = (
      await placeOrder(em(), registry, product, [m365OrderForm(['second.example'], 'second@example.com')])
    ).records[0]?.id as string;
    await until(async () => (await status(second)) === 'awaiting_inventory', { what: 'the second record waiting' });
    await expectNoAccountInTwoOrders();

    // PlugSaaS is back: the background retry deletes the order, the account returns, the second record takes it.
    await sandbox.clearFault('plugsaas');
    await until(async () => (await status(second)) === 'completed', {
      timeoutMs: 30_000,
      what: 'the second record completed with the returned account',
    });
    expect(await em().findOneOrFail(PendingCompensation, { record: first })).toMatchObject({ status: 'done' });
    expect((await em().findOneOrFail(AdminAlert, { id: alert?.id })).resolvedAt).not.toBeNull();
    const orders = await sandbox.plugsaasOrders();
    expect(orders.map((o) => o.domain)).toEqual(['second.example']);
    expect(orders[0]?.microsoftEmail).toBe(account?.email);
    await expectNoAccountInTwoOrders();
  });

  it('keeps the account quarantined once the tries run out, shows it to ops, and lets them decide', async () => {
    await stockPool(em(), new SecretBox(parseEncryptionKeys(stack.keys.encryptionKeys)), 'decide-pool', 1);
    const product = await createM365DomainProduct(em(), {
      slug: 'decide',
      pool: 'decide-pool',
      retryPolicy: { maxAttempts: 1, backoffSeconds: [0.2] },
    });
    await failingPlugsaas();
    const record = (await placeOrder(em(), registry, product, [m365OrderForm(['stuck.example'], 'stuck@example.com')]))
      .records[0]?.id as string;
    await until(async () => (await em().findOne(PendingCompensation, { record }))?.status === 'abandoned', {
      timeoutMs: 30_000,
      what: 'the undo abandoned after its tries',
    });
    const [alert] = await em().find(AdminAlert, { type: 'rollback_failure', subjectId: record });
    expect(alert?.message).toContain('still fails after 3 tries');
    const listed = await listPendingCompensations(em(), { status: 'abandoned' }, { limit: 10, offset: 0 });
    expect(listed.items).toEqual([
      expect.objectContaining({
        recordId: record,
        status: 'abandoned',
        attempts: 3,
        quarantined: [
          expect.objectContaining({
            pool: 'decide-pool',
            reason: expect.stringContaining('undoing create_plugsaas_order failed'),
          }),
        ],
      }),
    ]);

    // Ops deleted the order at PlugSaaS by hand, and return the account to the pool.
    await sandbox.clearFault('plugsaas');
    const ops = em().create(User, { email: 'ops-decide@handover.test', role: 'ops' });
    await em().persistAndFlush(ops);
    await resolveCompensation(
      em(),
      record,
      { decision: 'return_to_pool', note: 'deleted at PlugSaaS by hand' },
      { type: 'user', id: ops.id },
      new Date(),
    );
    const [account] = await em().find(InventoryItem, { pool: { slug: 'decide-pool' } });
    expect(account).toMatchObject({ status: 'available', record: null, quarantinedAt: null });
    expect(await em().findOneOrFail(PendingCompensation, { record })).toMatchObject({
      status: 'resolved',
      resolution: 'Returned to the pool: deleted at PlugSaaS by hand',
    });
    expect((await em().findOneOrFail(AdminAlert, { id: alert?.id })).resolvedAt).not.toBeNull();
  });
});
