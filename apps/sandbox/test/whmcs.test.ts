import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { whmcsEmulator } from '../src/emulators/whmcs';
import { createSandbox } from '../src/sandbox';

const IDENTIFIER = 'whmcs-test-identifier-0123';
const SECRET = 'whmcs-test-secret-0123456789';

/** PHP's serialize() of an int-keyed array of strings, as a WHMCS client sends customfields. */
const phpSerialize = (fields: Record<number, string>) =>
  `a:${Object.keys(fields).length}:{${Object.entries(fields)
    .map(([id, value]) => `i:${id};s:${Buffer.byteLength(value)}:"${value}";`)
    .join('')}}`;
const customfields = (fields: Record<number, string>) => Buffer.from(phpSerialize(fields)).toString('base64');

type Answer = Record<string, unknown> & { result: string; message?: string };

describe('WHMCS emulator', () => {
  let app: FastifyInstance;
  let base: string;

  const api = async (action: string, params: Record<string, string> = {}, secret = SECRET) => {
    const res = await fetch(`${base}/whmcs/includes/api.php`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ identifier: IDENTIFIER, secret, action, responsetype: 'json', ...params }),
    });
    return { status: res.status, body: (await res.json()) as Answer };
  };
  const newClient = (email = 'taro@example.com', extra: Record<string, string> = {}) =>
    api('AddClient', {
      firstname: 'Taro',
      lastname: 'Yamada',
      email,
      address1: '1-2-3 Shibuya',
      city: 'Tokyo',
      state: 'Tokyo',
      postcode: '150-0002',
      country: 'JP',
      phonenumber: '+81.312345678',
      password2: 'Pa55word!',
      customfields: customfields({ 1: 'CN-0042' }),
      ...extra,
    });
  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Record<string, unknown>) };
  };

  beforeAll(async () => {
    app = await createSandbox({
      emulators: [whmcsEmulator({ identifier: IDENTIFIER, secret: SECRET })],
      publicUrl: 'http://sandbox.test',
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    await control('/reset', 'POST');
  });

  it('adds a client with the customer number from the base64 serialized customfields', async () => {
    const added = await newClient();
    expect(added).toEqual({ status: 200, body: { result: 'success', clientid: 1 } });
    const details = await api('GetClientsDetails', { clientid: '1' });
    expect(details.body).toMatchObject({
      result: 'success',
      client: {
        id: 1,
        email: 'taro@example.com',
        customfields: [{ id: 1, value: 'CN-0042' }],
        customfields1: 'CN-0042',
      },
    });
    expect((await api('GetClientsDetails', { email: 'TARO@example.com' })).body).toMatchObject({ client: { id: 1 } });
    expect((await api('GetClientsDetails', { clientid: '9' })).body).toEqual({
      result: 'error',
      message: 'Client Not Found',
    });
  });

  it('refuses a second client with the same email, and one without the required customer number', async () => {
    await newClient();
    expect((await newClient('taro@example.com')).body).toEqual({
      result: 'error',
      message: 'A user already exists with that email address',
    });
    expect((await newClient('hanako@example.com', { customfields: customfields({}) })).body).toEqual({
      result: 'error',
      message: 'You did not provide required custom field value for Customer Number',
    });
    expect((await newClient('jiro@example.com', { customfields: 'not-serialized' })).body).toMatchObject({
      result: 'error',
      message: expect.stringContaining('customfields is not a base64 encoded serialized array'),
    });
  });

  it('answers wrong API credentials with 403 "Authentication Failed" and an unknown action with "Command Not Found"', async () => {
    expect(await api('GetClientsDetails', { clientid: '1' }, 'wrong-secret')).toEqual({
      status: 403,
      body: { result: 'error', message: 'Authentication Failed' },
    });
    expect((await api('NoSuchAction')).body).toEqual({ result: 'error', message: 'Command Not Found' });
  });

  it('lets a customer add a card through the SSO link, after which GetPayMethods lists it', async () => {
    await newClient();
    expect((await api('GetPayMethods', { clientid: '1' })).body).toEqual({
      result: 'success',
      clientid: '1',
      paymethods: [],
    });
    const sso = await api('CreateSsoToken', { client_id: '1', destination: 'clientarea:billing_info' });
    const redirectUrl = String(sso.body.redirect_url);
    expect(redirectUrl).toMatch(/^http:\/\/sandbox\.test\/whmcs\/oauth\/singlesignon\.php\?access_token=[0-9a-f]{40}$/);
    const local = (url: string) => url.replace('http://sandbox.test', base);

    const signIn = await fetch(local(redirectUrl), { redirect: 'manual' });
    expect(signIn.status).toBe(302);
    const cookie = String(signIn.headers.get('set-cookie')).split(';')[0] ?? '';
    const pageUrl = local(String(signIn.headers.get('location')));
    expect(pageUrl).toContain('/whmcs/index.php?rp=/account/paymentmethods');
    const page = await (await fetch(pageUrl, { headers: { cookie } })).text();
    expect(page).toContain('No payment methods on file');
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? '';

    const added = await fetch(local(action.replace(/&amp;/g, '&')), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ ccnumber: '4242 4242 4242 4242', ccexpirydate: '12/30', ccdescription: 'My Visa' }),
      redirect: 'manual',
    });
    expect(added.status).toBe(303);
    expect(await (await fetch(pageUrl, { headers: { cookie } })).text()).toContain('Visa ending 4242');
    expect((await api('GetPayMethods', { clientid: '1' })).body).toMatchObject({
      paymethods: [
        { id: 1, type: 'RemoteCreditCard', card_last_four: '4242', card_type: 'Visa', description: 'My Visa' },
      ],
    });

    expect((await fetch(local(redirectUrl), { redirect: 'manual' })).status).toBe(400);
    expect((await fetch(pageUrl)).status).toBe(401);
  });

  it('refuses an invalid card on the page and keeps the client without a pay method', async () => {
    await newClient();
    const sso = await api('CreateSsoToken', { client_id: '1', destination: 'clientarea:billing_info' });
    const signIn = await fetch(String(sso.body.redirect_url).replace('http://sandbox.test', base), {
      redirect: 'manual',
    });
    const cookie = String(signIn.headers.get('set-cookie')).split(';')[0] ?? '';
    const refused = await fetch(`${base}/whmcs/index.php?rp=/account/paymentmethods/add`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ ccnumber: '4242 4242 4242 4241', ccexpirydate: '12/30' }),
      redirect: 'manual',
    });
    expect(decodeURIComponent(String(refused.headers.get('location')))).toContain(
      'The card number you entered is invalid',
    );
    expect((await api('GetPayMethods', { clientid: '1' })).body).toMatchObject({ paymethods: [] });
  });

  it('adds an order with the operator order id in its notes, accepts it and shows its service and invoice', async () => {
    await newClient();
    const order = await api('AddOrder', {
      clientid: '1',
      'pid[0]': '1',
      'billingcycle[0]': 'monthly',
      paymentmethod: 'stripe',
      notes: 'sfOrderId=801xx0000000001',
    });
    expect(order.body).toEqual({
      result: 'success',
      orderid: '1',
      serviceids: '1',
      addonids: '',
      domainids: '',
      invoiceid: '1',
    });
    expect((await api('AcceptOrder', { orderid: '1' })).body).toEqual({ result: 'success' });
    expect((await api('AcceptOrder', { orderid: '1' })).body).toEqual({
      result: 'error',
      message: 'Order ID not found or Status not Pending',
    });
    expect((await api('GetOrders', { userid: '1' })).body).toMatchObject({
      totalresults: 1,
      orders: { order: [{ id: 1, status: 'Active', notes: 'sfOrderId=801xx0000000001', paymentmethod: 'stripe' }] },
    });
    expect((await api('GetClientsProducts', { clientid: '1' })).body).toMatchObject({
      totalresults: '1',
      products: { product: [{ id: '1', pid: '1', orderid: '1', status: 'Active', name: 'Home Internet 1 Gbps' }] },
    });
    expect((await api('GetInvoices', { userid: '1' })).body).toMatchObject({
      numreturned: 1,
      invoices: { invoice: [{ id: 1, userid: 1, total: '49.00', status: 'Unpaid' }] },
    });
    expect((await api('AddOrder', { clientid: '1', 'pid[0]': '1', paymentmethod: 'bitcoin' })).body).toEqual({
      result: 'error',
      message: 'Invalid Payment Method. Valid options include stripe,banktransfer,mailin',
    });
  });

  it('runs module actions on a module product and refuses them on a product without a module', async () => {
    await newClient();
    await api('AddOrder', { clientid: '1', 'pid[0]': '1', 'pid[1]': '2', paymentmethod: 'stripe' });
    expect((await api('ModuleCreate', { serviceid: '1' })).body).toEqual({ result: 'success' });
    expect((await api('ModuleSuspend', { serviceid: '1', suspendreason: 'Overdue' })).body).toEqual({
      result: 'success',
    });
    expect((await api('GetClientsProducts', { serviceid: '1' })).body).toMatchObject({
      products: { product: [{ status: 'Suspended', suspensionreason: 'Overdue' }] },
    });
    expect((await api('ModuleTerminate', { serviceid: '1' })).body).toEqual({ result: 'success' });
    expect((await api('ModuleCreate', { serviceid: '2' })).body).toEqual({
      result: 'error',
      message: 'Service not assigned to a module',
    });
    expect((await api('ModuleCreate', { serviceid: '99' })).body).toEqual({
      result: 'error',
      message: 'Service ID not found',
    });
  });

  it('removes a pay method and goes down through the control API, and takes injected faults', async () => {
    await newClient();
    const card = await control('/whmcs/clients/1/paymethods', 'POST');
    expect(card.status).toBe(201);
    expect((await control(`/whmcs/paymethods/${card.body?.id}`, 'DELETE')).status).toBe(204);
    expect((await api('GetPayMethods', { clientid: '1' })).body).toMatchObject({ paymethods: [] });

    await control('/whmcs/down', 'PUT', { down: true });
    const down = await fetch(`${base}/whmcs/includes/api.php`, {
      method: 'POST',
      body: new URLSearchParams({ action: 'GetClientsDetails' }),
    });
    expect(down.status).toBe(503);
    await control('/whmcs/down', 'PUT', { down: false });

    await control('/faults/whmcs', 'PUT', { errorRate: 1, statusCode: 502, remaining: 1 });
    expect((await api('GetClientsDetails', { clientid: '1' })).status).toBe(502);
    expect((await api('GetClientsDetails', { clientid: '1' })).status).toBe(200);
  });

  it('carries out the next calls of an action named under lost-answers, then drops the connection before the answer', async () => {
    expect((await control('/whmcs/lost-answers', 'PUT', { action: 'NoSuchAction' })).status).toBe(400);
    expect(await control('/whmcs/lost-answers', 'PUT', { action: 'AddClient', count: 1 })).toMatchObject({
      status: 200,
      body: { lostAnswers: { action: 'AddClient', count: 1 } },
    });
    // Other actions answer as usual.
    expect((await api('GetClientsDetails', { email: 'taro@example.com' })).body.message).toBe('Client Not Found');
    await expect(newClient()).rejects.toThrow();
    expect((await api('GetClientsDetails', { email: 'taro@example.com' })).body).toMatchObject({ client: { id: 1 } });
    // Only the next one: a second AddClient is answered (WHMCS refuses the taken address).
    expect((await newClient()).body.message).toBe('A user already exists with that email address');
  });
});
