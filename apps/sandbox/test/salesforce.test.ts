import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { salesforceEmulator } from '../src/emulators/salesforce';
import { createSandbox } from '../src/sandbox';

const CLIENT_ID = 'salesforce-test-client-id';
const CLIENT_SECRET = 'salesforce-test-client-secret-0123';
const PROVISION_SECRET = 'provision-secret-at-least-32-characters-long';
const API = '/salesforce/services/data/v62.0';

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  signatureValid: boolean;
}

/**
 * Handover's /provision route as docs/security.md specifies it, checked independently of the
 * emulator's code: HMAC-SHA256 over method, path, X-Timestamp, X-Nonce and the body's SHA-256.
 */
function verifySignature(method: string, path: string, headers: IncomingMessage['headers'], body: string): boolean {
  const timestamp = String(headers['x-timestamp'] ?? '');
  const nonce = String(headers['x-nonce'] ?? '');
  const signature = String(headers['x-signature'] ?? '');
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  if (!/^[A-Za-z0-9._:-]{16,128}$/.test(nonce)) return false;
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const expected = `sha256=${createHmac('sha256', PROVISION_SECRET)
    .update(`${method}\n${path}\n${timestamp}\n${nonce}\n${bodyHash}`)
    .digest('hex')}`;
  return signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

describe('Salesforce-shaped operator system emulator', () => {
  let app: FastifyInstance;
  let base: string;
  let handover: Server;
  let handoverUrl: string;
  const received: Received[] = [];

  const token = async (secret = CLIENT_SECRET) => {
    const res = await fetch(`${base}/salesforce/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: secret }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  const call = async (path: string, accessToken: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? null : ((await res.json()) as Record<string, unknown>);
  };
  const seedOrder = async (fields: Record<string, unknown> = {}) =>
    (await control('/salesforce/orders', 'POST', {
      AccountId: '001Sb00000000001AA',
      Handover_Order_Id__c: '6c1f0a52-1f39-4c1e-9b7e-2f1d0f3e8a11',
      ...fields,
    })) as { Id: string; OrderNumber: string; Status: string };

  beforeAll(async () => {
    handover = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const signatureValid = verifySignature(req.method ?? '', req.url ?? '', req.headers, body);
        received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, signatureValid });
        res.writeHead(signatureValid ? 202 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(signatureValid ? { status: 'approved' } : { error: 'unauthorized' }));
      });
    });
    await new Promise<void>((resolve) => handover.listen(0, '127.0.0.1', resolve));
    handoverUrl = `http://127.0.0.1:${(handover.address() as AddressInfo).port}`;
    app = await createSandbox({
      emulators: [
        salesforceEmulator({
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          handoverUrl,
          provisionSecret: PROVISION_SECRET,
        }),
      ],
      publicUrl: 'http://sandbox.test',
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => handover.close(resolve));
  });
  beforeEach(async () => {
    await control('/reset', 'POST');
    received.length = 0;
  });

  it('issues a client-credentials token shaped as Salesforce does and refuses a wrong secret', async () => {
    const issued = await token();
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({
      access_token: expect.stringMatching(/^00D\w+!/),
      token_type: 'Bearer',
      scope: 'api',
      instance_url: 'http://sandbox.test/salesforce',
      issued_at: expect.stringMatching(/^\d{13}$/),
      signature: expect.any(String),
    });
    expect(issued.body).not.toHaveProperty('expires_in');
    expect(await token('wrong')).toEqual({
      status: 400,
      body: { error: 'invalid_client', error_description: 'invalid client credentials' },
    });
  });

  it('updates an Order with PATCH (204), shows it on GET and lists the PATCH as a write-back', async () => {
    const order = await seedOrder();
    const { access_token } = (await token()).body;
    const fields = { Status: 'Provisioned', Activation_Status__c: 'Activated', WHMCS_Order_ID__c: '12' };
    expect(await call(`${API}/sobjects/Order/${order.Id}`, access_token ?? '', 'PATCH', fields)).toEqual({
      status: 204,
      body: null,
    });
    expect((await call(`${API}/sobjects/Order/${order.Id}`, access_token ?? '')).body).toMatchObject({
      attributes: { type: 'Order', url: `/services/data/v62.0/sobjects/Order/${order.Id}` },
      Id: order.Id,
      ...fields,
    });
    expect(await control('/salesforce/patches')).toMatchObject({
      patches: [{ orderId: order.Id, fields, status: 204 }],
    });
  });

  it("answers bad fields, a missing order and an expired session with Salesforce's error arrays", async () => {
    const order = await seedOrder();
    const { access_token = '' } = (await token()).body;
    expect(
      await call(`${API}/sobjects/Order/${order.Id}`, access_token, 'PATCH', { Status: 'Shipped', Foo__c: 1 }),
    ).toEqual({
      status: 400,
      body: [
        {
          message: 'Status: bad value for restricted picklist field: Shipped',
          errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          fields: ['Status'],
        },
        { message: "No such column 'Foo__c' on sobject of type Order", errorCode: 'INVALID_FIELD' },
      ],
    });
    expect(await call(`${API}/sobjects/Order/801000000000000AAA`, access_token, 'PATCH', { Status: 'Failed' })).toEqual(
      {
        status: 404,
        body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
      },
    );
    await control('/salesforce/tokens/expire', 'POST');
    expect(await call(`${API}/sobjects/Order/${order.Id}`, access_token, 'PATCH', { Status: 'Failed' })).toEqual({
      status: 401,
      body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
    });
  });

  it('fails the next PATCHes as told, then accepts them', async () => {
    const order = await seedOrder();
    const { access_token = '' } = (await token()).body;
    await control('/salesforce/patch-failures', 'PUT', { count: 2, statusCode: 503, errorCode: 'SERVER_UNAVAILABLE' });
    const path = `${API}/sobjects/Order/${order.Id}`;
    expect((await call(path, access_token, 'PATCH', { Status: 'Failed' })).status).toBe(503);
    expect((await call(path, access_token, 'PATCH', { Status: 'Failed' })).status).toBe(503);
    expect((await call(path, access_token, 'PATCH', { Status: 'Failed' })).status).toBe(204);
    const { patches } = (await control('/salesforce/patches')) as { patches: { status: number }[] };
    expect(patches.map((p) => p.status)).toEqual([503, 503, 204]);
  });

  it("fails only the named Order's PATCHes when told one", async () => {
    const [named, other] = [await seedOrder(), await seedOrder()];
    const { access_token = '' } = (await token()).body;
    await control('/salesforce/patch-failures', 'PUT', { count: 1, statusCode: 503, orderId: named.Id });
    const patch = (id: string) => call(`${API}/sobjects/Order/${id}`, access_token, 'PATCH', { Status: 'Failed' });
    expect((await patch(other.Id)).status).toBe(204);
    expect((await patch(named.Id)).status).toBe(503);
    expect((await patch(named.Id)).status).toBe(204);
  });

  it('creates an Order with POST and filters the personalised catalog by the account eligibility', async () => {
    const { access_token = '' } = (await token()).body;
    const created = await call(`${API}/sobjects/Order`, access_token, 'POST', { AccountId: '001Sb00000000002AA' });
    expect(created).toMatchObject({ status: 201, body: { success: true, errors: [] } });

    const names = async (accountId: string) =>
      (
        (await call(`/salesforce/services/apexrest/catalog/personalized?accountId=${accountId}`, access_token))
          .body as {
          products: { Name: string }[];
        }
      ).products.map((p) => p.Name);
    expect(await names('001Sb00000000001AA')).toEqual([
      'Home Internet 1G',
      'Home Internet 10G',
      'eSIM Data 5GB',
      'VPN Router',
    ]);
    expect(await names('001Sb00000000002AA')).toEqual(['Apartment Internet 1G', 'eSIM Data 5GB', 'VPN Router']);
    await control('/salesforce/accounts/001Sb00000000002AA', 'PUT', { Internet_Eligibility__c: null });
    expect(await names('001Sb00000000002AA')).toEqual(['eSIM Data 5GB', 'VPN Router']);
  });

  it('lets ops approve an order on its page, then Provision calls Handover signed as docs/security.md says', async () => {
    const order = await seedOrder();
    const page = await (await fetch(`${base}/salesforce/lightning/orders`)).text();
    expect(page).toContain(order.OrderNumber);
    expect(page).toContain('Approve');

    const form = (action: string, body = '') =>
      fetch(`${base}/salesforce/lightning/orders/${order.Id}/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        redirect: 'manual',
      });
    const early = await form('provision');
    expect(decodeURIComponent(String(early.headers.get('location')))).toContain('must be Approved first');
    expect(received).toHaveLength(0);

    expect((await form('approve')).status).toBe(303);
    const provisioned = await form('provision', 'approvedBy=Olivia');
    expect(decodeURIComponent(String(provisioned.headers.get('location')))).toContain('Handover answered 202');

    expect(received).toHaveLength(1);
    const call = received[0];
    expect(call).toMatchObject({
      method: 'POST',
      path: '/provision/orders/6c1f0a52-1f39-4c1e-9b7e-2f1d0f3e8a11',
      body: JSON.stringify({ approvedBy: 'Olivia', operatorOrderId: order.Id }),
      signatureValid: true,
      headers: { 'idempotency-key': `${order.Id}:provision`, 'content-type': 'application/json' },
    });
    expect(await control('/salesforce/provisions')).toMatchObject({
      provisions: [{ orderId: order.Id, status: 202, response: { status: 'approved' } }],
    });
  });

  it('takes an injected fault on its API', async () => {
    await control('/faults/salesforce', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    expect((await token()).status).toBe(503);
    expect((await token()).status).toBe(200);
  });
});
