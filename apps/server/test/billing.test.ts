import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hashPassword, passwordCostFromLog2, systemClock } from '@handover/core';
import { ActivityLog, OperatorOrder, Order, Product, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import {
  createPaymentGateways,
  createWhmcsAdapter,
  paymentGatewaysEnvSchema,
  WhmcsClient,
  whmcsBillingSystem,
} from '@handover/integrations';
import { createSandbox, salesforceEmulator, sandboxGatewayEmulator, whmcsEmulator } from '@handover/sandbox';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxControl } from '../../worker/test/support/sandbox';
import { browser, errorOf, startServer } from './harness';

const PASSWORD = 'correct horse battery';
const WHMCS = { identifier: 'whmcs-server-test-identifier', secret: 'whmcs-server-test-secret-0123' };
const SALESFORCE = { clientId: 'salesforce-server-test-client', clientSecret: 'salesforce-server-test-secret-0123' };
const PROVISION_SECRET = randomBytes(32).toString('hex');
const GATEWAY_SECRET = randomBytes(16).toString('hex');

describe('seed 004 billing through the server: payment methods over WHMCS SSO, the checkout gate, invoices, and the operator system Provision call', () => {
  const db = useTestDatabase({ poolMax: 8 });
  const em = () => db.orm.em.fork();
  let sandbox: Awaited<ReturnType<typeof createSandbox>>;
  let sandboxUrl: string;
  let app: FastifyInstance;
  let base: string;
  let fenced: FastifyInstance;
  let fencedBase: string;
  let whmcs: WhmcsClient;
  let fibre: Product;

  const control = <T>(path: string, method = 'GET', body?: unknown): Promise<T> =>
    sandboxControl(sandboxUrl).control<T>(`/_control${path}`, method, body);

  beforeAll(async () => {
    sandbox = await createSandbox({
      emulators: [
        whmcsEmulator(WHMCS),
        salesforceEmulator({ ...SALESFORCE, provisionSecret: PROVISION_SECRET }),
        sandboxGatewayEmulator({ secret: GATEWAY_SECRET }),
      ],
      publicUrl: 'http://sandbox.invalid',
      hangMs: 3_000,
    });
    await sandbox.listen({ host: '127.0.0.1', port: 0 });
    sandboxUrl = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
    whmcs = new WhmcsClient({
      baseUrl: `${sandboxUrl}/whmcs`,
      ...WHMCS,
      customerNumberFieldId: 1,
      timeoutMs: 1_000,
      retries: 0,
    });
    const billing = whmcsBillingSystem(whmcs);
    const gateways = createPaymentGateways(
      paymentGatewaysEnvSchema.parse({
        SANDBOX_GATEWAY_SECRET: GATEWAY_SECRET,
        SANDBOX_GATEWAY_URL: `${sandboxUrl}/sandbox-gateway`,
      }),
      { clock: systemClock },
    );
    ({ app, base } = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock: systemClock,
      drivers: [createWhmcsAdapter(whmcs, billing)],
      gateways,
      billing,
      env: { PROVISION_API_SECRETS: PROVISION_SECRET },
    }));
    ({ app: fenced, base: fencedBase } = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock: systemClock,
      env: { PROVISION_API_SECRETS: PROVISION_SECRET, PROVISION_ALLOWED_IPS: '203.0.113.0/24, 2001:db8::/32' },
    }));
    // The operator system's Provision button calls this server.
    await control('/webhooks', 'PUT', { baseUrl: base });
    fibre = em().create(Product, {
      slug: 'fibre-billed',
      name: 'Fibre internet',
      priceMinor: 4900,
      currency: 'USD',
      deliveryModel: 'billing_service',
      fulfillmentDriver: 'whmcs',
      fulfillmentConfig: { productId: 1 },
      enabledPaymentGateways: ['sandbox'],
      defaultPaymentGateway: 'sandbox',
      requiresReview: true,
    });
    await em().persistAndFlush(fibre);
  });
  afterAll(async () => {
    await app?.close();
    await fenced?.close();
    await sandbox?.close();
  });

  async function signedIn(at = base) {
    const email = `customer-${randomUUID().slice(0, 8)}@example.com`;
    const user = em().create(User, {
      email,
      name: 'Hanako Sato',
      customerNumber: 'CN-0043',
      passwordHash: await hashPassword(PASSWORD, passwordCostFromLog2(10)),
      emailVerifiedAt: new Date(),
    });
    await em().persistAndFlush(user);
    const b = browser(at);
    await b.api.auth.signIn.mutate({ email, password: PASSWORD });
    return { ...b, user, email };
  }

  /** What a browser does with the SSO link: follow it to WHMCS's payment-methods page and save a card. */
  async function addCardThrough(url: string) {
    const sso = new URL(url);
    const local = `${sandboxUrl}${sso.pathname}${sso.search}`;
    const signedInAtWhmcs = await fetch(local, { redirect: 'manual' });
    expect(signedInAtWhmcs.status).toBe(302);
    const cookie = (signedInAtWhmcs.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await fetch(`${sandboxUrl}/whmcs/index.php?rp=/account/paymentmethods`, { headers: { cookie } });
    expect(await page.text()).toContain('No payment methods on file');
    const saved = await fetch(`${sandboxUrl}/whmcs/index.php?rp=/account/paymentmethods/add`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ccnumber: '4242 4242 4242 4242', ccexpirydate: '12/30', ccdescription: 'Mine' }),
      redirect: 'manual',
    });
    expect(saved.status).toBe(303);
    // The link is single use.
    expect((await fetch(local, { redirect: 'manual' })).status).toBe(400);
  }

  it('keeps checkout closed for a WHMCS-billed product until a card is added on WHMCS through SSO', async () => {
    const customer = await signedIn();
    const buy = () =>
      customer.api.checkout.create.mutate({
        email: customer.email,
        items: [{ productId: fibre.id, input: {} }],
        gateway: 'sandbox',
      });
    expect(await customer.api.billing.paymentMethods.query()).toEqual({
      configured: true,
      system: 'WHMCS',
      hasPaymentMethod: false,
    });
    expect(await errorOf(buy())).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Add a payment method to order Fibre internet.',
      fieldErrors: {
        paymentMethod: ['Fibre internet is billed monthly: add a payment method first, then come back to this order.'],
      },
    });

    const link = await customer.api.billing.addPaymentMethodLink.mutate();
    expect(link.url).toMatch(/\/whmcs\/oauth\/singlesignon\.php\?access_token=/);
    await addCardThrough(link.url);

    expect(await customer.api.billing.paymentMethods.query()).toMatchObject({ hasPaymentMethod: true });
    const started = await buy();
    expect(started.redirectUrl).toContain('/sandbox-gateway/');
    // One WHMCS client for the customer, however many looks.
    const state = await control<{ clients: { email: string }[] }>('/whmcs/state');
    expect(state.clients.filter((c) => c.email === customer.email)).toHaveLength(1);
  });

  it('offers Billing in the navigation only where WHMCS is set up and bills the customer', async () => {
    const customer = await signedIn();
    // Not billed yet: no WHMCS client, so nothing behind the link (and WHMCS is not asked).
    expect(await customer.api.billing.navigation.query()).toEqual({ showBilling: false });
    expect((await control<{ clients: { email: string }[] }>('/whmcs/state')).clients.map((c) => c.email)).not.toContain(
      customer.email,
    );
    // The payment-method step of a billed order makes the client: from then on, Billing shows.
    await customer.api.billing.paymentMethods.query();
    expect(await customer.api.billing.navigation.query()).toEqual({ showBilling: true });

    // A server without WHMCS never shows it, and its signed-in catalog is the public one.
    const elsewhere = await signedIn(fencedBase);
    expect(await elsewhere.api.billing.navigation.query()).toEqual({ showBilling: false });
    const personalized = await elsewhere.api.catalog.personalized.query();
    expect(personalized).toMatchObject({ personalized: false, note: null });
    expect(personalized.products.map((p) => p.slug)).toEqual(
      (await elsewhere.api.catalog.list.query()).map((p) => p.slug),
    );
  });

  it('shows invoices and services from WHMCS, cached, and a clear message instead of a wait when WHMCS is slow or down', async () => {
    const customer = await signedIn();
    expect(await customer.api.billing.invoices.query()).toMatchObject({ available: true, items: [] });
    const state = await control<{ clients: { id: number; email: string }[] }>('/whmcs/state');
    const client = state.clients.find((c) => c.email === customer.email);
    await whmcs.addOrder({ clientId: client?.id ?? 0, productId: 1, paymentMethod: 'stripe', reference: 'inv-1' });

    const other = await signedIn();
    await control('/whmcs/down', 'PUT', { down: true });
    const started = Date.now();
    const down = await other.api.billing.invoices.query();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(down).toMatchObject({
      available: false,
      items: [],
      message:
        'WHMCS is not answering right now, so your invoices and services cannot be shown. Try again in a few minutes.',
    });
    // The first customer's lists were read a moment ago: still shown from the cache.
    expect(await customer.api.billing.invoices.query()).toMatchObject({ available: true, items: [] });
    await control('/whmcs/down', 'PUT', { down: false });

    await control('/faults/whmcs', 'PUT', { latencyMs: 5_000, remaining: 1 });
    const slowStart = Date.now();
    const slow = await other.api.billing.services.query();
    expect(Date.now() - slowStart).toBeLessThan(4_500);
    expect(slow).toMatchObject({ available: false });
    await control('/faults/whmcs', 'DELETE');

    // WHMCS is back: the invoices are read from it.
    await other.api.billing.paymentMethods.query();
    const otherClient = (await control<{ clients: { id: number; email: string }[] }>('/whmcs/state')).clients.find(
      (c) => c.email === other.email,
    );
    await whmcs.addOrder({ clientId: otherClient?.id ?? 0, productId: 1, paymentMethod: 'stripe', reference: 'inv-2' });
    expect(await other.api.billing.invoices.query()).toMatchObject({
      available: true,
      items: [{ total: '49.00', status: 'Unpaid' }],
    });

    const third = await signedIn();
    await third.api.billing.services.query();
    const thirdClient = (await control<{ clients: { id: number; email: string }[] }>('/whmcs/state')).clients.find(
      (c) => c.email === third.email,
    );
    await whmcs.addOrder({ clientId: thirdClient?.id ?? 0, productId: 1, paymentMethod: 'stripe', reference: 'svc-1' });
    // Cached for a minute: the new service shows on a later look, not this one.
    expect((await third.api.billing.services.query()).items).toEqual([]);
  });

  it('takes the operator system Provision press: a signed call that approves the order and keeps the operator order for the write-back', async () => {
    const customer = await signedIn();
    const order = em().create(Order, {
      orderCode: `HO-${randomBytes(4).toString('hex')}`,
      user: customer.user.id,
      email: customer.email,
      status: 'pending_review',
      amountMinor: 4900,
      currency: 'USD',
    });
    await em().persistAndFlush(order);
    const operatorOrder = await control<{ Id: string }>('/salesforce/orders', 'POST', {
      AccountId: '001Sb00000000002AA',
      Handover_Order_Id__c: order.id,
      Status: 'Approved',
    });
    const pressed = await fetch(`${sandboxUrl}/salesforce/lightning/orders/${operatorOrder.Id}/provision`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ approvedBy: 'Ops Olivia' }),
      redirect: 'manual',
    });
    expect(pressed.status).toBe(303);
    const { provisions } = await control<{ provisions: Record<string, unknown>[] }>('/salesforce/provisions');
    expect(provisions).toMatchObject([
      { status: 202, response: { orderId: order.id, status: 'approved' }, error: null },
    ]);
    expect(await em().findOneOrFail(Order, order.id)).toMatchObject({ status: 'approved', reviewedBy: 'Ops Olivia' });
    expect(await em().findOneOrFail(OperatorOrder, { order: order.id })).toMatchObject({
      operatorOrderId: operatorOrder.Id,
    });
  });

  it('refuses /provision from an address outside PROVISION_ALLOWED_IPS before looking at the signature', async () => {
    const response = await fetch(`${fencedBase}/provision/orders/${randomUUID()}`, { method: 'POST' });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'forbidden', reason: 'ip_not_allowed' });
    const logged = await em().find(ActivityLog, { action: 'operator_api.rejected' });
    expect(logged.some((row) => (row.properties as { reason?: string }).reason === 'ip_not_allowed')).toBe(true);
  });
});
