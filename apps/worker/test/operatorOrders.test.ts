import {
  approveOrderForProvisioning,
  createOperatorOrderAtCheckout,
  ensureBillingAccount,
  linkOperatorOrder,
  OPERATOR_ORDER_TEMPLATE,
  paymentMethodOnFileCheck,
  requestPreflightNow,
  startActivation,
  systemClock,
  WriteBatch,
} from '@handover/core';
import { ActivityLog, BillingAccount, FulfillmentRecord, Order, OutboxMessage, Product, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { whmcsPaymentMethodsOnFile } from '@handover/integrations';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, signedInAsEachRole, startServer } from '../../server/test/harness';
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
  let server: Awaited<ReturnType<typeof startServer>>['app'];
  let staff: Awaited<ReturnType<typeof signedInAsEachRole>>;
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
  /** The write-back messages of an order, oldest first. */
  const writeBacks = (orderId: string) =>
    em().find(OutboxMessage, { template: 'operator_writeback', data: { orderId } }, { orderBy: { createdAt: 'asc' } });
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
    // The back office, for ops' approval and "Send again".
    const started = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock: systemClock,
      registry: worker.registry,
    });
    server = started.app;
    staff = await signedInAsEachRole(db.orm, started.base);
  });
  afterAll(async () => {
    await server?.close();
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
    expect(await linkOperatorOrder(em(), orderId, operatorOrderId)).toEqual({ writeBackId: null });
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
    // Exactly one write-back: the settling transaction's (the link came first), sent once.
    const [only, ...more] = await writeBacks(orderId);
    expect(more).toEqual([]);
    await delivered(only?.id ?? '');
    expect((await patches()).filter((p) => p.orderId === operatorOrderId)).toHaveLength(1);
  });

  it('writes the outcome back once when ops approved in the back office while the operator system was down, and its Order is made afterwards', async () => {
    const product = await reviewedProduct();
    await payingCustomer('late-order@example.com');
    await sandbox.setFault('salesforce', { errorRate: 1, statusCode: 503 });
    try {
      const { orderId, message, record } = await checkout(product, 'late-order@example.com');
      await until(async () => (await em().findOneOrFail(OutboxMessage, message.id)).attempts > 0, {
        what: 'a first failed try',
      });
      await staff.ops.backOffice.review.approve.mutate({ orderId });
      const active = await settled(record.id, ['active']);
      expect((await em().findOneOrFail(Order, orderId)).fulfillmentStatus).toBe('active');
      // Settled with no Order yet: the settling transaction found no link and wrote no write-back.
      expect(await writeBacks(orderId)).toEqual([]);
      expect((await em().findOneOrFail(OutboxMessage, message.id)).status).toBe('pending');
      expect((await operatorOrders()).orders).toEqual([]);

      // The operator system comes back: the Order is made, and its link brings the write-back.
      await sandbox.clearFault('salesforce');
      await delivered(message.id);
      const [operatorOrderId] = await linkedOperatorOrder(orderId);
      if (!operatorOrderId) throw new Error('no operator order');
      const [writeBack, ...more] = await writeBacks(orderId);
      expect(more).toEqual([]);
      expect(writeBack).toMatchObject({
        channel: 'operator_system',
        recipient: operatorOrderId,
        data: { orderId, outcome: 'provisioned', orderStatus: 'active' },
      });
      await delivered(writeBack?.id ?? '');
      const seen = (await patches()).filter((p) => p.orderId === operatorOrderId);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({
        status: 204,
        fields: {
          Status: 'Provisioned',
          Activation_Status__c: 'Activated',
          Handover_Order_Id__c: orderId,
          WHMCS_Service_ID__c: active.externalReferenceId,
        },
      });
      expect((await operatorOrders()).orders).toMatchObject([{ Id: operatorOrderId, Status: 'Provisioned' }]);
      // The same link again (a Provision call naming the Order) writes nothing more.
      expect(await linkOperatorOrder(em(), orderId, operatorOrderId)).toEqual({ writeBackId: null });
      expect(await writeBacks(orderId)).toHaveLength(1);
    } finally {
      await sandbox.clearFault('salesforce');
    }
  });

  it('writes the outcome back from the link when the order settled while the link waited for the order', async () => {
    // A customer the operator system does not know: the checkout's message fails, and the test
    // links an Order itself while a transaction that settles the order holds the order's row.
    const product = await reviewedProduct();
    const fork = em();
    fork.create(User, { email: 'race@example.com', customerNumber: 'CN-7777' });
    await fork.flush();
    const { orderId, message } = await checkout(product, 'race@example.com');
    await until(async () => (await em().findOneOrFail(OutboxMessage, message.id)).status === 'failed', {
      what: 'the refused message',
    });

    let linkStarted = false;
    const settling = em().transactional(async (tem) => {
      // What writeTransition does: the order's row lock first, its status and write-back later.
      await tem.execute('select 1 from orders where id = ? for update', [orderId]);
      linkStarted = true;
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tem.execute(`update orders set fulfillment_status = 'failed' where id = ?`, [orderId]);
      const [link] = await tem.execute<{ n: string }[]>(
        'select count(*) as n from operator_orders where order_id = ?',
        [orderId],
      );
      return Number(link?.n);
    });
    await until(async () => linkStarted, { what: 'the order locked' });
    const [linksSeenBySettling, linked] = await Promise.all([
      settling,
      linkOperatorOrder(em(), orderId, '801Sb0000000RACEAA'),
    ]);
    // The settling transaction saw no link (so it wrote no write-back); the link waited, read the
    // settled status, and wrote the one write-back.
    expect(linksSeenBySettling).toBe(0);
    expect(linked.writeBackId).not.toBeNull();
    expect(await writeBacks(orderId)).toMatchObject([
      { id: linked.writeBackId, recipient: '801Sb0000000RACEAA', data: { outcome: 'failed', orderStatus: 'failed' } },
    ]);
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

  it('sends a refused checkout message again from the back office once the cause is fixed, and refuses what is not a failed operator-system message', async () => {
    const product = await reviewedProduct();
    const fork = em();
    const user = fork.create(User, { email: 'again@example.com', customerNumber: 'CN-0404' });
    await fork.flush();
    const { orderId, message } = await checkout(product, 'again@example.com');
    await until(async () => (await em().findOneOrFail(OutboxMessage, message.id)).status === 'failed', {
      what: 'the refused message',
    });
    const { ops, finance, admin, customer, opsId } = staff;
    const listed = (await finance.backOffice.orders.messages.query({ orderId })).find((m) => m.id === message.id);
    expect(listed).toMatchObject({
      channel: 'operator_system',
      status: 'failed',
      canSendAgain: true,
      canResend: false,
    });
    // Staff who only watch, and customers, may not send it; nor is it copied like an email.
    const input = { orderId, messageId: message.id };
    expect(await errorOf(finance.backOffice.orders.sendMessageAgain.mutate(input))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await errorOf(customer.backOffice.orders.sendMessageAgain.mutate(input))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await errorOf(ops.backOffice.orders.resendMessage.mutate(input))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/send it again/),
    });

    // Ops fix the cause (the customer's number names the sandbox org's account), then send it again.
    await em().nativeUpdate(User, user.id, { customerNumber: 'CN-0042' });
    const again = await ops.backOffice.orders.sendMessageAgain.mutate(input);
    expect(again).toMatchObject({
      id: message.id,
      status: 'pending',
      attempts: 0,
      lastError: null,
      canSendAgain: false,
    });
    expect(await em().find(ActivityLog, { subjectId: orderId, action: 'order.message_sent_again' })).toMatchObject([
      {
        actorType: 'user',
        actorId: opsId,
        properties: { messageId: message.id, template: OPERATOR_ORDER_TEMPLATE, previousAttempts: 1 },
      },
    ]);
    const sent = await delivered(message.id);
    expect(sent.attempts).toBe(1);
    const [operatorOrderId] = await linkedOperatorOrder(orderId);
    expect((await operatorOrders()).orders).toMatchObject([
      { Id: operatorOrderId, Status: 'Pending Review', AccountId: YAMADA_ACCOUNT, Handover_Order_Id__c: orderId },
    ]);
    expect(sent.providerMessageId).toBe(operatorOrderId);
    // Not settled yet: no write-back until it is.
    expect(await writeBacks(orderId)).toEqual([]);

    // A sent message, a pending one, and an email are refused, whoever asks.
    expect(await errorOf(admin.backOffice.orders.sendMessageAgain.mutate(input))).toMatchObject({
      code: 'CONFLICT',
      message: 'This message already reached the operator system; only a failed one can be sent again.',
    });
    const other = em();
    const waiting = other.create(OutboxMessage, {
      channel: 'operator_system',
      recipient: operatorOrderId ?? '',
      template: 'operator_writeback',
      body: 'waiting',
      data: { orderId },
      // No send job: it stays pending while it is refused.
      status: 'pending',
    });
    const email = other.create(OutboxMessage, {
      channel: 'email',
      recipient: 'again@example.com',
      template: 'payment_receipt',
      body: 'failed',
      data: { orderId },
      status: 'failed',
    });
    await other.flush();
    expect(
      await errorOf(ops.backOffice.orders.sendMessageAgain.mutate({ orderId, messageId: waiting.id })),
    ).toMatchObject({
      code: 'CONFLICT',
      message: 'This message is still being sent; only a failed one can be sent again.',
    });
    expect(
      await errorOf(ops.backOffice.orders.sendMessageAgain.mutate({ orderId, messageId: email.id })),
    ).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^Only a message to the operator system/) });
    expect(
      await errorOf(
        ops.backOffice.orders.sendMessageAgain.mutate({ orderId: crypto.randomUUID(), messageId: message.id }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await em().count(ActivityLog, { subjectId: orderId, action: 'order.message_sent_again' })).toBe(1);
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
