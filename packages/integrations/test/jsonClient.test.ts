import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { captureProviderCalls, PermanentError, TransientError } from '@handover/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifyHttpError, JsonClient, retryAfterMs } from '../src';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

describe('JsonClient', () => {
  let server: Server;
  let handler: Handler = (_req, _body, res) => res.end('{}');
  let client: JsonClient;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => handler(req, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new JsonClient({
      provider: 'acme',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
      timeoutMs: 300,
      idempotencyHeader: 'Idempotency-Key',
      headers: () => ({ authorization: 'Bearer secret-token' }),
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const reply =
    (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
    (_req, _b, res) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };

  it('sends JSON with the idempotency key and returns the validated body, logging a redacted call', async () => {
    let seen: { url?: string; key?: string | string[]; body?: string } = {};
    handler = (req, body, res) => {
      seen = { url: req.url, key: req.headers['idempotency-key'], body };
      res.end(JSON.stringify({ order_id: 'plug-1' }));
    };
    const result = await captureProviderCalls(() =>
      client.request({
        method: 'POST',
        path: '/addOrder',
        body: { domain: 'a.com', microsoft_password: 'pass123' },
        idempotencyKey: 'rec-1:create',
        response: z.object({ order_id: z.string() }),
      }),
    );
    expect(result.ok && result.value).toEqual({ order_id: 'plug-1' });
    expect(seen).toEqual({
      url: '/api/addOrder',
      key: 'rec-1:create',
      body: JSON.stringify({ domain: 'a.com', microsoft_password: 'pass123' }),
    });
    expect(result.calls).toHaveLength(1);
    expect(result.calls[0]).toMatchObject({
      provider: 'acme',
      method: 'POST',
      httpStatus: 200,
      request: { domain: 'a.com', microsoft_password: '[redacted]' },
      response: { order_id: 'plug-1' },
      error: null,
    });
  });

  it('treats 5xx and 429 as transient, honouring Retry-After', async () => {
    handler = reply(503, { message: 'down for maintenance' });
    const down = await client.request({ method: 'GET', path: '/x', response: z.unknown() }).catch((e) => e);
    expect(down).toBeInstanceOf(TransientError);
    expect(down).toMatchObject({ message: 'acme answered 503: down for maintenance' });

    handler = reply(429, { error: 'slow down' }, { 'retry-after': '7' });
    const limited = await client.request({ method: 'GET', path: '/x', response: z.unknown() }).catch((e) => e);
    expect(limited).toBeInstanceOf(TransientError);
    expect(limited).toMatchObject({ code: 'rate_limited', options: { retryAfterMs: 7000 } });
  });

  it('treats validation refusals and bad credentials as permanent', async () => {
    handler = reply(422, { error: { message: 'domain is invalid' } });
    const refused = await client
      .request({ method: 'POST', path: '/x', body: {}, response: z.unknown() })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(PermanentError);
    expect(refused).toMatchObject({ message: 'acme answered 422: domain is invalid' });

    handler = reply(401, { message: 'bad token' });
    const unauthorized = await client.request({ method: 'GET', path: '/x', response: z.unknown() }).catch((e) => e);
    expect(unauthorized).toMatchObject({ name: 'PermanentError', code: 'unauthorized' });
  });

  it("lets a vendor's own error codes decide, falling back to the status-code rules", async () => {
    const vendor = new JsonClient({
      provider: 'acme',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
      timeoutMs: 300,
      classifyAnswer: ({ status, body }) =>
        (body as { errorCode?: string }).errorCode === 'NO_FLOAT'
          ? new PermanentError('acme float is empty', 'insufficient_balance', { httpStatus: status })
          : undefined,
    });
    handler = reply(402, { errorCode: 'NO_FLOAT', message: 'top up' });
    const empty = await captureProviderCalls(() =>
      vendor.request({ method: 'GET', path: '/x', response: z.unknown() }),
    );
    expect(!empty.ok && empty.error).toMatchObject({ code: 'insufficient_balance', options: { httpStatus: 402 } });
    expect(empty.calls[0]).toMatchObject({ httpStatus: 402, error: 'acme float is empty' });

    handler = reply(503, { errorCode: 'DOWN' });
    const down = await vendor.request({ method: 'GET', path: '/x', response: z.unknown() }).catch((e) => e);
    expect(down).toMatchObject({ name: 'TransientError', code: 'provider_unavailable' });
  });

  it('names a refusal with the vendor’s own code when told where to read it, keeping 5xx transient', async () => {
    const coded = new JsonClient({
      provider: 'acme',
      baseUrl: client.url('/'),
      timeoutMs: 300,
      classifyAnswer: (answer) =>
        answer.status >= 400
          ? classifyHttpError(
              'acme',
              answer,
              answer.status === 401 ? 'signature_refused' : (answer.body as { error?: string } | null)?.error,
            )
          : undefined,
    });
    handler = reply(409, { error: 'tenant_cancelled', message: 'Tenant is cancelled' });
    const conflict = await coded
      .request({ method: 'POST', path: '/x', body: {}, response: z.unknown() })
      .catch((e) => e);
    expect(conflict).toMatchObject({ name: 'PermanentError', code: 'tenant_cancelled', options: { httpStatus: 409 } });

    handler = reply(401, { error: 'signature_invalid' });
    const refused = await coded.request({ method: 'GET', path: '/x', response: z.unknown() }).catch((e) => e);
    expect(refused).toMatchObject({ name: 'PermanentError', code: 'signature_refused' });

    handler = reply(503, { error: 'maintenance' });
    const down = await coded.request({ method: 'GET', path: '/x', response: z.unknown() }).catch((e) => e);
    expect(down).toMatchObject({ name: 'TransientError', code: 'provider_unavailable' });
  });

  it('refuses an answer that does not match the schema', async () => {
    handler = reply(200, { unexpected: true });
    const error = await client
      .request({ method: 'GET', path: '/x', response: z.object({ order_id: z.string() }) })
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'PermanentError', code: 'invalid_response' });
  });

  it('times out a provider that does not answer, as a transient error', async () => {
    handler = () => {};
    const result = await captureProviderCalls(() =>
      client.request({ method: 'GET', path: '/slow', response: z.unknown() }),
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ name: 'TransientError', code: 'timeout' });
    expect(result.calls[0]).toMatchObject({ httpStatus: null, error: 'acme did not answer within 300 ms' });
  });

  it('throws and logs the error a vendor reports inside a 2xx answer', async () => {
    const inBand = new JsonClient({
      provider: 'acme',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
      timeoutMs: 300,
      classifyAnswer: ({ body }) =>
        (body as { result?: string }).result === 'error' ? new PermanentError('acme refused', 'refused') : undefined,
    });
    handler = reply(200, { result: 'error', message: 'Client Not Found' });
    const result = await captureProviderCalls(() =>
      inBand.request({ method: 'POST', path: '/x', response: z.object({ result: z.literal('success') }) }),
    );
    expect(!result.ok && result.error).toMatchObject({ name: 'PermanentError', code: 'refused' });
    expect(result.calls[0]).toMatchObject({ httpStatus: 200, error: 'acme refused' });
  });

  it("names the error codes of Salesforce's error arrays in the message", async () => {
    handler = reply(400, [{ errorCode: 'INVALID_FIELD', message: "No such column 'X'" }]);
    const error = await client.request({ method: 'PATCH', path: '/o', response: z.unknown() }).catch((e) => e);
    expect(error).toMatchObject({ code: 'rejected', message: "acme answered 400: INVALID_FIELD: No such column 'X'" });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
