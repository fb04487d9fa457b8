import {
  approveOrderForProvisioning,
  createOperatorOrderAtCheckout,
  ensureBillingAccount,
  linkOperatorOrder,
  OPERATOR_ORDER_TEMPLATE,
  paymentMethodOnFileCheck,
  requestPreflightNow,
  startActivation,
  WriteBatch,
} from '@handover/core';
import { BillingAccount, FulfillmentRecord, Order, OutboxMessage, Product, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { whmcsPaymentMethodsOnFile } from '@handover/integrations';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { settledRecord, until } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';
import { placePaidOrder } from './support/orders';
import { startTestSandbox, type TestSandbox } from './support/sandbox';
import {
  BILLING_SANDBOX_ENV,
  createWhmcsProduct,
  type SandboxPatch,
  whmcsParts,
  writeBackSender,
} from './support/whmcs';

/** The sandbox org's account whose Customer_Number__c is CN-0042. */
const YAMADA_ACCOUNT = '001Sb00000000001AA';

interface SandboxOperatorOrder {
  Id: string;
  Status: string;
  AccountId: string;
  Handover_Order_Id__c: string;
  Description: string;
  Activation_Type__c: string;
}

describe('the operator system (seed 004): its Order made at checkout, Provision and the write-back on that Order, and the payment-method check through the customer mapping', () => {
  const db = useTestDatabase({ poolMax: 10 });
  let sandbox: TestSandbox;
  let worker: InProcessWorker;
  let parts: ReturnType<typeof whmcsParts>;
  let n = 0;
  const em = () => db.orm.em.fork();

  const operatorOrders = async () =>
    sandbox.control<{ orders: SandboxOperatorOrder[]; upserts: number }>('/_control/salesforce/orders');
  const patches = async () =>
    (await sandbox.control<{ patches: SandboxPatch[] }>('/_control/salesforce/patches')).patches;
  const settled = (id: string, statuses: string[]) => settledRecord(em, id, statuses);
  /** Brings an outbox message's retries forward (graphile-worker's backoff grows to hours) until it is sent. */
  const delivered = (messageId: string) =>
    until(
      async () => {
        await em().execute(
          `update graphile_worker._private_jobs set run_at = now() where key = ? and locked_at is null`,
          [`outbox:${messageId}`],
        );
        const row = await em().findOneOrFail(OutboxMessage, messageId);
        return row.status === 'sent' ? row : null;
      },
      { what: `outbox message ${messageId} sent` },
    );
  /** A customer with the sandbox org's customer number, a WHMCS client and a card on file. */
  const payingCustomer = async (email: string) => {
    const fork = em();
    const user = fork.create(User, { email, name: 'Taro Yamada', customerNumber: 'CN-0042' });
    await fork.flush();
    const account = await ensureBillingAccount(em(), parts.billing, user.id);
    await sandbox.control(`/_control/whmcs/clients/${account.clientId}/paymethods`, 'POST');
    return { user, clientId: account.clientId };
  };
  const reviewedProduct = async (extra: Partial<Product> = {}) => {
    const product = await createWhmcsProduct(em(), { slug: `fibre-op-${++n}` });
    await em().nativeUpdate(Product, product.id, {
      serviceRules: { operatorProductCode: 'HOME-INTERNET-1G', ...(extra.serviceRules ?? {}) },
      ...(extra.activation ? { activation: extra.activation } : {}),
    });
    return product;
  };
  /**
   * A paid order of a product reviewed in the operator system, as the payment webhook places it:
   * the order, then the `order.placed` listener in the same transaction (it writes the outbox).
   */
  const checkout = async (product: Product, email: string) => {
    const placed = await placePaidOrder(em(), worker.registry, product.id, { email });
    await em().transactional(async (tem) => {
      const batch = new WriteBatch();
      const user = await tem.findOneOrFail(User, { email });
      createOperatorOrderAtCheckout(
        {
          type: 'order.placed',
          order: { orderId: placed.orderId, orderCode: placed.orderCode, customerEmail: email, userId: user.id },
          records: placed.recordIds.length,
          needsReview: placed.needsReview,
          reviewedInOperatorSystem: true,
          paymentId: null,
          amountMinor: product.priceMinor,
          currency: product.currency,
          gateway: 'sandbox',
        },
        batch,
        { portalUrl: 'http://portal.test', now: new Date() },
      );
      await batch.execute(tem);
    });
    const message = await em().findOneOrFail(OutboxMessage, {
      template: OPERATOR_ORDER_TEMPLATE,
      recipient: placed.orderCode,
    });
    const [record] = await em().find(FulfillmentRecord, { order: placed.orderId });
    if (!record) throw new Error('no record');
    return { orderId: placed.orderId, orderCode: placed.orderCode, message, record };
  };
  const linkedOperatorOrder = async (orderId: string) =>
    (
      await em().execute<{ operator_order_id: string }[]>(
        'select operator_order_id from operator_orders where order_id = ?',
        [orderId],
      )
    ).map((row) => row.operator_order_id);

  beforeAll(async () => {
    sandbox = await startTestSandbox(BILLING_SANDBOX_ENV);
    parts = whmcsParts(sandbox.url);
    worker = await startInProcessWorker(db, [parts.adapter], {
      senders: { operator_system: writeBackSender(sandbox.url, db.orm.em) },
      activation: { checks: [paymentMethodOnFileCheck(whmcsPaymentMethodsOnFile(parts.billing))] },
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

  it('makes the Order at checkout once, while the operator system is down and when an answer is lost, and keeps its id on the order', async () => {
    const product = await reviewedProduct();
    const { user } = await payingCustomer('checkout@example.com');
    await sandbox.setFault('salesforce', { errorRate: 1, statusCode: 503, remaining: 3 });

    const { orderId, orderCode, message } = await checkout(product, 'checkout@example.com');
    expect((await em().findOneOrFail(Order, orderId)).status).toBe('pending_review');
    const sent = await delivered(message.id);
    expect(sent.attempts).toBeGreaterThan(1);

    const { orders } = await operatorOrders();
    expect(orders).toHaveLength(1);
    const [made] = orders;
    expect(made).toMatchObject({
      Status: 'Pending Review',
      AccountId: YAMADA_ACCOUNT,
      Handover_Order_Id__c: orderId,
      Activation_Type__c: 'Immediate',
    });
    expect(made?.Description).toContain(orderCode);
    expect(await linkedOperatorOrder(orderId)).toEqual([made?.Id]);
    expect(sent.providerMessageId).toBe(made?.Id);
    // The mapping now names the customer's operator-system account, for ops.
    expect(await em().findOneOrFail(BillingAccount, { user: user.id })).toMatchObject({
      operatorAccountId: YAMADA_ACCOUNT,
    });

    // Sent again after its answer was lost (the link never written): the upsert finds the Order.
    await em().execute('delete from operator_orders where order_id = ?', [orderId]);
    const sender = writeBackSender(sandbox.url, db.orm.em);
    const again = await sender.send(await em().findOneOrFail(OutboxMessage, message.id));
    expect(again.providerMessageId).toBe(made?.Id);
    const after = await operatorOrders();
    expect(after.orders).toHaveLength(1);
    expect(after.upserts).toBeGreaterThanOrEqual(2);
    expect(await linkedOperatorOrder(orderId)).toEqual([made?.Id]);
  });

  it('provisions the Order the checkout made when the operator system names it, and writes the outcome back to that same id', async () => {
    const product = await reviewedProduct();
    await payingCustomer('provision-op@example.com');
    const { orderId, message, record } = await checkout(product, 'provision-op@example.com');
    await delivered(message.id);
    const [operatorOrderId] = await linkedOperatorOrder(orderId);
    if (!operatorOrderId) throw new Error('no operator order');

    // The Provision call names the same Order (the signed route links, then approves): a no-op link.
    await linkOperatorOrder(em(), orderId, operatorOrderId);
    await approveOrderForProvisioning(em(), orderId, { type: 'api', id: 'Sandbox Ops' }, { decidedBy: 'Sandbox Ops' });
    await settled(record.id, ['active']);
    const written = await until(
      async () => (await patches()).find((p) => p.orderId === operatorOrderId && p.status === 204),
      { what: 'the write-back' },
    );
    expect(written.fields).toMatchObject({ Status: 'Provisioned', Handover_Order_Id__c: orderId });
    const { orders } = await operatorOrders();
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ Id: operatorOrderId, Status: 'Provisioned' });
  });

  it('refuses to make an Order for a customer the operator system has no account for, saying so', async () => {
    const product = await reviewedProduct();
    const fork = em();
    fork.create(User, { email: 'stranger@example.com', customerNumber: 'CN-9999' });
    await fork.flush();
    const { message } = await checkout(product, 'stranger@example.com');
    const failed = await until(
      async () => {
        const row = await em().findOneOrFail(OutboxMessage, message.id);
        return row.status === 'failed' ? row : null;
      },
      { what: 'the refused message' },
    );
    expect(failed.lastError).toContain('has no account in the operator system');
    expect((await operatorOrders()).orders).toEqual([]);
  });

  it("checks the payment method through the customer's mapping before activation, and fails the order as payment required once the card is gone", async () => {
    const product = await reviewedProduct({
      activation: 'scheduled',
      serviceRules: { activationChecks: ['payment_method_on_file'] },
    });
    const { user, clientId } = await payingCustomer('mapped@example.com');
    const { orderId, message, record } = await checkout(product, 'mapped@example.com');
    await delivered(message.id);
    const [operatorOrderId] = await linkedOperatorOrder(orderId);
    // The customer changes their address in Handover: WHMCS still has the old one, so a lookup by
    // email would find no client (and no card); the mapping names the client all the same.
    await em().nativeUpdate(User, user.id, { email: 'renamed@example.com' });

    await approveOrderForProvisioning(
      em(),
      orderId,
      { type: 'api', id: 'Sandbox Ops' },
      {
        decidedBy: 'Sandbox Ops',
        activation: { type: 'scheduled', date: '2099-03-30', time: '09:00', timeZone: 'Europe/London' },
      },
    );
    await requestPreflightNow(em(), orderId);
    const checked = await until(
      async () => {
        const found = await em().findOneOrFail(Order, orderId, { refresh: true });
        return found.preflightCheckedAt ? found : null;
      },
      { what: 'the preflight' },
    );
    expect(checked.preflightProblems).toEqual([]);
    expect(await em().count(BillingAccount, {})).toBe(1);

    // The card is removed in WHMCS; ops activate now: the driver's check fails the order.
    const { payMethods } = await sandbox.control<{ payMethods: { id: number; clientid: number }[] }>(
      '/_control/whmcs/state',
    );
    for (const method of payMethods.filter((p) => p.clientid === Number(clientId))) {
      await sandbox.control(`/_control/whmcs/paymethods/${method.id}`, 'DELETE');
    }
    await startActivation(em(), orderId, { by: 'operator', now: new Date() });
    const failed = await settled(record.id, ['failed']);
    expect(failed).toMatchObject({ lastErrorCode: 'payment_required', externalCustomerId: clientId });
    const written = await until(
      async () => (await patches()).find((p) => p.orderId === operatorOrderId && p.status === 204),
      { what: 'the write-back' },
    );
    expect(written.fields).toMatchObject({ Status: 'Failed', Activation_Error_Code__c: 'payment_required' });
  });
});
