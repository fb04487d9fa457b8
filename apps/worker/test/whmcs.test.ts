import {
  approveOrderForProvisioning,
  checkPaymentMethodGate,
  ensureBillingAccount,
  linkOperatorOrder,
  TransientError,
  ValidationError,
} from '@handover/core';
import { BillingAccount, FulfillmentRecord, OutboxMessage, type Product, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { settledRecord, until } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';
import { placePaidOrder } from './support/orders';
import { startTestSandbox, type TestSandbox } from './support/sandbox';
import {
  BILLING_SANDBOX_ENV,
  createWhmcsProduct,
  type SandboxPatch,
  type SandboxWhmcsOrder,
  whmcsParts,
  writeBackSender,
} from './support/whmcs';

describe('whmcs driver (seed 004): the customer mapping, the payment-method gate, AddOrder then AcceptOrder, and the write-back', () => {
  const db = useTestDatabase({ poolMax: 10 });
  let sandbox: TestSandbox;
  let worker: InProcessWorker;
  let parts: ReturnType<typeof whmcsParts>;
  let n = 0;
  const em = () => db.orm.em.fork();

  const settled = (id: string, statuses: string[]) => settledRecord(em, id, statuses);
  const whmcsState = () =>
    sandbox.control<{
      clients: { id: number; email: string; customfields: Record<string, string> }[];
      orders: SandboxWhmcsOrder[];
      payMethods: { id: number; clientid: number }[];
    }>('/_control/whmcs/state');
  const patches = async () =>
    (await sandbox.control<{ patches: SandboxPatch[] }>('/_control/salesforce/patches')).patches;
  const newCustomer = async (email: string) => {
    const fork = em();
    const user = fork.create(User, { email, name: 'Taro Yamada', customerNumber: 'CN-0042' });
    await fork.flush();
    return user;
  };
  /** A customer with a WHMCS client and a card on file, as after sign-up and "Add a payment method". */
  const payingCustomer = async (email: string) => {
    const user = await newCustomer(email);
    const account = await ensureBillingAccount(em(), parts.billing, user.id);
    await sandbox.control(`/_control/whmcs/clients/${account.clientId}/paymethods`, 'POST');
    return { user, clientId: account.clientId };
  };
  /** A paid order waiting for review, with the operator system's order that stands for it. */
  const orderInReview = async (product: Product, email: string) => {
    const placed = await placePaidOrder(em(), worker.registry, product.id, { email });
    const operatorOrder = await sandbox.control<{ Id: string }>('/_control/salesforce/orders', 'POST', {
      AccountId: '001Sb00000000001AA',
      Handover_Order_Id__c: placed.orderId,
    });
    await linkOperatorOrder(em(), placed.orderId, operatorOrder.Id);
    const [record] = await em().find(FulfillmentRecord, { order: placed.orderId });
    if (!record) throw new Error('no record');
    return { orderId: placed.orderId, record, operatorOrderId: operatorOrder.Id };
  };
  const approve = (orderId: string) =>
    approveOrderForProvisioning(em(), orderId, { type: 'api', id: 'Sandbox Ops' }, { decidedBy: 'Sandbox Ops' });
  const writeBackOf = (operatorOrderId: string) =>
    until(async () => (await patches()).find((p) => p.orderId === operatorOrderId && p.status === 204), {
      what: `the write-back of ${operatorOrderId}`,
    });

  beforeAll(async () => {
    sandbox = await startTestSandbox(BILLING_SANDBOX_ENV);
    parts = whmcsParts(sandbox.url);
    worker = await startInProcessWorker(db, [parts.adapter], {
      senders: { operator_system: writeBackSender(sandbox.url, db.orm.em) },
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await sandbox?.close();
  });
  // The sandbox's WHMCS counts client ids from 1 again after a reset: the mappings go with it.
  beforeEach(async () => {
    await sandbox.reset();
    await em().nativeDelete(BillingAccount, {});
  });

  it('makes one WHMCS client per customer with the customer number, however often and concurrently asked, and adopts the one a lost answer made', async () => {
    const user = await newCustomer('mapping@example.com');
    const accounts = await Promise.all([1, 2, 3].map(() => ensureBillingAccount(em(), parts.billing, user.id)));
    expect(new Set(accounts.map((a) => a.clientId)).size).toBe(1);
    let state = await whmcsState();
    expect(state.clients).toHaveLength(1);
    expect(state.clients[0]).toMatchObject({ email: 'mapping@example.com', customfields: { 1: 'CN-0042' } });
    expect(await em().count(BillingAccount, { user: user.id })).toBe(1);

    // WHMCS answered 503: nothing made; the retry makes it once.
    const second = await newCustomer('retry@example.com');
    await sandbox.setFault('whmcs', { errorRate: 1, statusCode: 503, remaining: 1 });
    await expect(ensureBillingAccount(em(), parts.billing, second.id)).rejects.toBeInstanceOf(TransientError);
    const retried = await ensureBillingAccount(em(), parts.billing, second.id);

    // AddClient went through but its answer was lost: the next attempt finds the client by email.
    const third = await newCustomer('lost-answer@example.com');
    const made = await parts.billing.findOrCreateClient({
      userId: third.id,
      email: third.email,
      name: 'Taro Yamada',
      company: null,
      phone: null,
      customerNumber: 'CN-0042',
      address: null,
    });
    const adopted = await ensureBillingAccount(em(), parts.billing, third.id);
    expect(adopted.clientId).toBe(made.clientId);

    state = await whmcsState();
    expect(state.clients.map((c) => c.email).sort()).toEqual([
      'lost-answer@example.com',
      'mapping@example.com',
      'retry@example.com',
    ]);
    expect(state.clients.find((c) => c.email === 'retry@example.com')?.id).toBe(Number(retried.clientId));
    expect(await em().count(BillingAccount, {})).toBe(3);
  });

  it('keeps checkout closed for a billed product until WHMCS reports a payment method', async () => {
    const product = await createWhmcsProduct(em(), { slug: `fibre-${++n}` });
    const user = await newCustomer('gate@example.com');
    const gate = () =>
      checkPaymentMethodGate({ em: em(), registry: worker.registry, billing: parts.billing }, [product], {
        userId: user.id,
      });
    const refused = await gate().catch((e) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused.fieldErrors.paymentMethod?.[0]).toContain('add a payment method first');
    await expect(gate()).rejects.toBeInstanceOf(ValidationError);

    const account = await ensureBillingAccount(em(), parts.billing, user.id);
    await sandbox.control(`/_control/whmcs/clients/${account.clientId}/paymethods`, 'POST');
    await expect(gate()).resolves.toBeUndefined();
    await expect(
      checkPaymentMethodGate({ em: em(), registry: worker.registry, billing: parts.billing }, [product], null),
    ).rejects.toThrow('Sign in to order Fibre internet 1 Gbps');
  });

  it('approval provisions into WHMCS once (AddOrder with the operator order id, AcceptOrder), keeps the ids on the record, and writes them back to the operator system', async () => {
    const product = await createWhmcsProduct(em(), { slug: `fibre-${++n}` });
    const { clientId } = await payingCustomer('provision@example.com');
    const { orderId, record, operatorOrderId } = await orderInReview(product, 'provision@example.com');

    await approve(orderId);
    const delivered = await settled(record.id, ['active']);
    const { orders } = await whmcsState();
    expect(orders).toHaveLength(1);
    const [order] = orders;
    expect(order).toMatchObject({ userid: Number(clientId), status: 'Active' });
    expect(order?.notes).toContain(`operator_order_id=${operatorOrderId}`);
    expect(delivered).toMatchObject({
      externalCustomerId: clientId,
      externalReferenceId: String(order?.serviceids[0]),
      result: { 'Billing order': order?.id, 'First invoice': order?.invoiceid, Service: order?.serviceids[0] },
    });

    const written = await writeBackOf(operatorOrderId);
    expect(written.fields).toMatchObject({
      Status: 'Provisioned',
      Activation_Status__c: 'Activated',
      Handover_Order_Id__c: orderId,
      WHMCS_Order_ID__c: String(order?.id),
      WHMCS_Service_ID__c: String(order?.serviceids[0]),
      WHMCS_Invoice_ID__c: String(order?.invoiceid),
      Activation_Error_Code__c: null,
    });
    const { orders: operatorOrders } = await sandbox.control<{ orders: Record<string, unknown>[] }>(
      '/_control/salesforce/orders',
    );
    expect(operatorOrders.find((o) => o.Id === operatorOrderId)).toMatchObject({ Status: 'Provisioned' });
    const messages = await em().find(OutboxMessage, { channel: 'operator_system', recipient: operatorOrderId });
    expect(messages).toMatchObject([{ recipient: operatorOrderId, status: 'sent', attempts: 1 }]);
  });

  it('fails the order as payment required when the payment method is gone at approval, and tells the operator system', async () => {
    const product = await createWhmcsProduct(em(), { slug: `fibre-${++n}` });
    const { clientId } = await payingCustomer('gone@example.com');
    const { orderId, record, operatorOrderId } = await orderInReview(product, 'gone@example.com');
    const { payMethods } = await whmcsState();
    for (const method of payMethods.filter((p) => p.clientid === Number(clientId))) {
      await sandbox.control(`/_control/whmcs/paymethods/${method.id}`, 'DELETE');
    }

    await approve(orderId);
    const failed = await settled(record.id, ['failed']);
    expect(failed).toMatchObject({ lastErrorCode: 'payment_required' });
    expect((await whmcsState()).orders).toEqual([]);
    const written = await writeBackOf(operatorOrderId);
    expect(written.fields).toMatchObject({
      Status: 'Failed',
      Activation_Status__c: 'Failed',
      Activation_Error_Code__c: 'payment_required',
      WHMCS_Order_ID__c: null,
    });
    expect(String(written.fields.Activation_Error_Message__c)).toContain('Payment required');
  });

  it('waits out a WHMCS outage with the circuit open instead of spending attempts, then completes once WHMCS is back', async () => {
    const product = await createWhmcsProduct(em(), {
      slug: `fibre-${++n}`,
      retryPolicy: { maxAttempts: 3, backoffSeconds: [0.1] },
    });
    await payingCustomer('outage@example.com');
    const { orderId, record } = await orderInReview(product, 'outage@example.com');
    await sandbox.control('/_control/whmcs/down', 'PUT', { down: true });

    await approve(orderId);
    const waiting = await settled(record.id, ['awaiting_provider']);
    expect(waiting.statusReason).toBe('Our billing system is not answering; we will carry on as soon as it is back');
    expect(parts.client.breakerState).not.toBe('closed');
    // Several breaker cycles later it still waits, its attempts within the policy.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const still = await em().findOneOrFail(FulfillmentRecord, record.id);
    expect(still.status).not.toBe('failed');
    expect(still.attempts).toBeLessThan(3);

    await sandbox.control('/_control/whmcs/down', 'PUT', { down: false });
    await settled(record.id, ['active']);
    expect((await whmcsState()).orders).toMatchObject([{ status: 'Active' }]);
    expect(parts.client.breakerState).toBe('closed');
  });

  it('retries a write-back the operator system refuses for an hour, and delivers it once when it accepts', async () => {
    const product = await createWhmcsProduct(em(), { slug: `fibre-${++n}` });
    await payingCustomer('late@example.com');
    const { orderId, record, operatorOrderId } = await orderInReview(product, 'late@example.com');
    // Only this Order's PATCHes fail: an earlier test's write-back still retrying must not use them up.
    await sandbox.control('/_control/salesforce/patch-failures', 'PUT', {
      count: 4,
      statusCode: 503,
      orderId: operatorOrderId,
    });

    await approve(orderId);
    await settled(record.id, ['active']);
    const message = await until(() => em().findOne(OutboxMessage, { recipient: operatorOrderId }), {
      what: 'the write-back message',
    });
    // Graphile-worker's backoff grows to an hour and more; here each retry is brought forward.
    const sent = await until(
      async () => {
        await em().execute(
          `update graphile_worker._private_jobs set run_at = now() where key = ? and locked_at is null`,
          [`outbox:${message.id}`],
        );
        const row = await em().findOneOrFail(OutboxMessage, message.id);
        return row.status === 'sent' ? row : null;
      },
      { what: 'the write-back delivered' },
    );
    const received = (await patches()).filter((p) => p.orderId === operatorOrderId);
    expect(sent).toMatchObject({ attempts: 5, lastError: null });
    expect(received.map((p) => p.status)).toEqual([503, 503, 503, 503, 204]);
    expect(received[4]?.fields).toMatchObject({ Status: 'Provisioned' });
  });
});
