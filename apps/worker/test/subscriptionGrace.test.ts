import { randomUUID } from 'node:crypto';
import { hashPassword, passwordCostFromLog2, systemClock } from '@handover/core';
import { FulfillmentRecord, Order, OutboxMessage, Subscription, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser } from '../../server/test/harness';
import { type PaymentStack, startPaymentStack } from '../../server/test/paymentStack';
import { steppedClock } from './support/dataBundles';
import { runJob, until } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker, testKeys } from './support/inProcessWorker';
import {
  createPosProduct,
  downloadsFolder,
  marketplaceAdapters,
  marketplaceSandboxEnv,
  stockKeyRing,
} from './support/marketplace';
import { startTestSandbox, type TestSandbox } from './support/sandbox';

const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;

/**
 * Seed 003's subscriptions end to end, through the sandbox gateway's webhooks and the SaaS
 * provider: a renewal fails, the grace period runs with its emails, delivery is suspended at the
 * provider, the renewal is paid and the tenant is active again; then the customer cancels at the
 * period's end and the gateway ends it then.
 */
describe('a subscription through a failed renewal, its grace period, and its end', () => {
  const db = useTestDatabase({ poolMax: 10 });
  const downloads = downloadsFolder();
  // The worker's clock jumps through the grace period; the server keeps real time, which the
  // gateway's webhook signatures are checked against.
  const clock = steppedClock();
  let providers: TestSandbox;
  let stack: PaymentStack;
  let worker: InProcessWorker;
  const em = () => db.orm.em.fork();

  beforeAll(async () => {
    providers = await startTestSandbox(marketplaceSandboxEnv);
    const drivers = () => marketplaceAdapters(providers.url, downloads.root);
    stack = await startPaymentStack({
      orm: db.orm,
      databaseUrl: db.url,
      clock: systemClock,
      drivers: drivers(),
      env: { HANDOVER_ENCRYPTION_KEYS: testKeys },
    });
    worker = await startInProcessWorker(db, drivers(), { gateways: stack.gateways, clock });
    await stockKeyRing(em(), worker.secrets);
  });
  afterAll(async () => {
    await worker?.stop();
    await stack?.close();
    await providers?.close();
    downloads.remove();
  });

  async function signedIn(role: 'customer' | 'ops') {
    const email = `${role}-${randomUUID().slice(0, 6)}@example.com`;
    const user = em().create(User, {
      email,
      role,
      passwordHash: await hashPassword(PASSWORD, passwordCostFromLog2(10)),
      emailVerifiedAt: new Date(),
    });
    await em().persistAndFlush(user);
    const b = browser(stack.base);
    await b.api.auth.signIn.mutate({ email, password: PASSWORD });
    return { ...b, user };
  }
  const tenantStatus = async () => {
    const res = await fetch(`${providers.url}/_control/saas-provider/tenants`);
    return ((await res.json()) as { tenants: { status: string }[] }).tenants[0]?.status;
  };
  const recordIn = (id: string, status: string) =>
    until(
      async () => {
        const record = await em().findOneOrFail(FulfillmentRecord, { id });
        return record.status === status && record.lockedBy === null ? record : null;
      },
      { what: `record ${status}` },
    );
  const subscriptionIn = (orderId: string, status: string) =>
    until(
      async () => {
        const found = await em().findOne(Subscription, { order: orderId });
        return found?.status === status ? found : null;
      },
      { what: `subscription ${status}` },
    );
  const emails = async (template: string, recipient: string) =>
    em().find(OutboxMessage, { template, recipient }, { orderBy: { createdAt: 'asc' } });

  it('goes past due, is suspended at the provider after the grace period, and is active again once paid', async () => {
    const product = await createPosProduct(em(), providers.url, { slug: 'pos-monthly', recurring: true });
    const ada = await signedIn('customer');
    const started = await ada.api.checkout.create.mutate({
      email: ada.user.email,
      gateway: 'sandbox',
      items: [{ productId: product.id, input: { plan: 'starter', options: { business_name: 'Corner Café' } } }],
    });
    await stack.clickButton(started.redirectUrl, 'Pay');
    const order = await until(async () => em().findOne(Order, { pendingOrder: started.pendingOrderId }), {
      what: 'the order',
    });
    const [record] = await em().find(FulfillmentRecord, { order: order.id });
    await recordIn(record?.id ?? '', 'active');
    const subscription = await subscriptionIn(order.id, 'active');
    const control = (action: string) =>
      stack.control(`/sandbox-gateway/_sandbox/subscriptions/${subscription.gatewaySubscriptionId}/${action}`);

    const [mine] = await ada.api.subscriptions.mine.query();
    expect(mine).toMatchObject({
      productName: 'Point of Sale (cloud)',
      status: 'active',
      amountMinor: 1900,
      currency: 'USD',
      interval: 'month',
      cancelAtPeriodEnd: false,
      canCancel: true,
    });
    const days = ((mine?.nextRenewalAt?.getTime() ?? 0) - Date.now()) / DAY;
    expect(days).toBeGreaterThan(27);
    expect(days).toBeLessThan(32);

    // The renewal fails: past due, the service still on, the customer emailed the deadline.
    expect((await control('fail')).status).toBe(204);
    await subscriptionIn(order.id, 'past_due');
    const [failed] = await until(
      async () => {
        const sent = await emails('renewal_failed', ada.user.email);
        return sent.length > 0 ? sent : null;
      },
      { what: 'the renewal failed email' },
    );
    const graceEndsAt = (await em().findOneOrFail(Subscription, { id: subscription.id })).graceEndsAt;
    expect(graceEndsAt?.getTime()).toBeGreaterThan(Date.now() + 6.9 * DAY);
    expect(failed?.body).toContain(`keeps running until ${graceEndsAt?.toISOString().slice(0, 10)}`);
    expect(failed?.body).toContain('the card was declined in the sandbox');
    expect(await tenantStatus()).toBe('active');
    expect((await ada.api.subscriptions.mine.query())[0]).toMatchObject({ status: 'past_due', graceEndsAt });

    // A day before the end, a reminder; at the end, suspended at the provider.
    await clock.advance(em(), 6.5 * DAY);
    await runJob(em(), 'subscription_grace', {});
    expect(await emails('grace_reminder', ada.user.email)).toHaveLength(1);
    expect(await tenantStatus()).toBe('active');
    await clock.advance(em(), 1 * DAY);
    await runJob(em(), 'subscription_grace', {});
    await subscriptionIn(order.id, 'suspended');
    await recordIn(record?.id ?? '', 'suspended');
    expect(await tenantStatus()).toBe('suspended');
    expect(await emails('subscription_suspended', ada.user.email)).toHaveLength(1);
    expect((await em().findOneOrFail(Order, { id: order.id })).fulfillmentStatus).toBe('suspended');

    // The renewal is paid: the subscription and the tenant are active again.
    expect((await control('renew')).status).toBe(204);
    await subscriptionIn(order.id, 'active');
    const restored = await recordIn(record?.id ?? '', 'active');
    expect(restored.statusReason).toBe('Restored: the subscription is paid again');
    expect(await tenantStatus()).toBe('active');
    expect(await emails('subscription_restored', ada.user.email)).toHaveLength(1);
    expect(await em().findOneOrFail(Subscription, { id: subscription.id })).toMatchObject({
      graceEndsAt: null,
      lastPaymentError: null,
    });

    // The customer cancels at the period's end through the gateway; the gateway ends it then.
    const cancelled = await ada.api.subscriptions.cancel.mutate({ subscriptionId: subscription.id });
    expect(cancelled).toMatchObject({ cancelAtPeriodEnd: true, canCancel: false, nextRenewalAt: null });
    expect(cancelled.endsAt?.getTime()).toBeGreaterThan(Date.now() + 27 * DAY);
    expect(await tenantStatus()).toBe('active');
    expect((await control('renew')).status).toBe(409);
    expect((await control('cancel')).status).toBe(204);
    await subscriptionIn(order.id, 'cancelled');
    await recordIn(record?.id ?? '', 'suspended');
    expect(await tenantStatus()).toBe('suspended');

    // The back office lists it with its filters.
    const ops = await signedIn('ops');
    const listed = await ops.api.backOffice.subscriptions.list.query({ status: 'cancelled', q: order.orderCode });
    expect(listed).toMatchObject({ total: 1, data: [{ orderCode: order.orderCode, customerEmail: ada.user.email }] });
    expect((await ops.api.backOffice.subscriptions.list.query({ status: 'past_due' })).total).toBe(0);
  });
});
