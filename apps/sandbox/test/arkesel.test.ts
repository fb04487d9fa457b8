import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { arkeselEmulator } from '../src/emulators/arkesel/arkeselEmulator';
import { createSandbox } from '../src/sandbox';

const API_KEY = 'test-arkesel-key-0123456789';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('Arkesel SMS emulator', () => {
  let app: FastifyInstance;
  let base: string;
  let receiver: Server;
  let callbackUrl: string;
  let received: Received[] = [];
  /** Status codes the receiver answers with, in turn; 200 once they run out. */
  let answers: number[] = [];

  const api = (path: string, init: { body?: unknown; key?: string } = {}) =>
    fetch(`${base}/arkesel/api/v2${path}`, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: {
        'api-key': init.key ?? API_KEY,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? undefined : res.json();
  };
  const send = async (recipients: string[], extra: Record<string, unknown> = {}) =>
    (await (
      await api('/sms/send', {
        body: { sender: 'Handover', message: 'Your 1GB bundle is on its way.', recipients, ...extra },
      })
    ).json()) as { status: string; data: Record<string, unknown>[] };
  const waitFor = async <T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs = 3_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out waiting');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ url: req.url ?? '', headers: req.headers, body });
        res.statusCode = answers.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/sms/arkesel`;

    app = await createSandbox({
      emulators: [
        arkeselEmulator({
          apiKey: API_KEY,
          smsBalance: 100,
          reportDelayMs: 200,
          retryDelaysMs: [50, 50],
        }),
      ],
      publicUrl: 'http://sandbox.test',
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
  beforeEach(async () => {
    await control('/reset', 'POST');
    received = [];
    answers = [];
  });

  it('refuses a missing or wrong api-key with 403', async () => {
    const res = await api('/sms/send', { body: {}, key: 'wrong' });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ status: 'error', message: 'Invalid or missing api-key' });
  });

  it('sends a text, answering with its id per recipient, and lists it in the control API', async () => {
    const answer = await send(['233271234567']);
    expect(answer).toEqual({ status: 'success', data: [{ recipient: '233271234567', id: expect.any(String) }] });
    const id = answer.data[0]?.id;
    const { messages } = (await control('/arkesel/messages?to=%2B233271234567')) as {
      messages: Record<string, unknown>[];
    };
    expect(messages).toMatchObject([
      { id, recipient: '233271234567', sender: 'Handover', message: 'Your 1GB bundle is on its way.', pages: 1 },
    ]);
  });

  it('reads a text back by id, DELIVERED once the network has settled it', async () => {
    const id = (await send(['0271234567'])).data[0]?.id;
    expect(await (await api(`/sms/${id}`)).json()).toMatchObject({ status: 'success', data: { status: 'SUBMITTED' } });
    const settled = await waitFor(async () => {
      const body = (await (await api(`/sms/${id}`)).json()) as { data: { status: string } };
      return body.data.status === 'SUBMITTED' ? undefined : body.data;
    });
    expect(settled).toMatchObject({ id, recipient: '233271234567', status: 'DELIVERED', message_count: 1 });
    expect((await api('/sms/unknown')).status).toBe(404);
  });

  it('POSTs the delivery report, unsigned as Arkesel sends it, to the callback URL exactly as given', async () => {
    const url = `${callbackUrl}?reference=ob-1&token=abc`;
    const id = (await send(['233271234567'], { callback_url: url })).data[0]?.id;
    const report = await waitFor(() => received[0]);
    expect(JSON.parse(report.body)).toEqual({ sms_id: id, status: 'DELIVERED' });
    expect(report.url).toBe('/webhooks/sms/arkesel?reference=ob-1&token=abc');
    expect(report.headers['x-sms-signature']).toBeUndefined();
  });

  it('retries a report the receiver did not accept, and resends one on request', async () => {
    answers = [500];
    const id = (await send(['233271234567'], { callback_url: callbackUrl })).data[0]?.id;
    await waitFor(() => (received.length >= 2 ? true : undefined));
    const { reports } = (await control('/arkesel/reports')) as {
      reports: { id: string; delivered: boolean; attempts: { status: number }[] }[];
    };
    expect(reports).toMatchObject([
      { id: `${id}:DELIVERED`, delivered: true, attempts: [{ status: 500 }, { status: 200 }] },
    ]);

    const resent = await fetch(`${base}/_control/arkesel/messages/${id}/resend-report`, { method: 'POST' });
    expect(resent.status).toBe(202);
    await waitFor(() => (received.length >= 3 ? true : undefined));
    expect(received[2]?.body).toBe(received[1]?.body);
    expect((await fetch(`${base}/_control/arkesel/messages/nope/resend-report`, { method: 'POST' })).status).toBe(404);
  });

  it('lists a number set to `invalid` under "invalid numbers", and reports another as NOT_DELIVERED', async () => {
    await control('/arkesel/numbers/0271234567', 'PUT', { outcome: 'invalid' });
    await control('/arkesel/numbers/+233571234567', 'PUT', { outcome: 'not_delivered' });
    const answer = await send(['0271234567', '0571234567', 'not-a-number'], { callback_url: callbackUrl });
    expect(answer.data).toEqual([
      { recipient: '233571234567', id: expect.any(String) },
      { 'invalid numbers': ['0271234567', 'not-a-number'] },
    ]);
    const report = await waitFor(() => received[0]);
    expect(JSON.parse(report.body)).toMatchObject({ status: 'NOT_DELIVERED' });
    expect(await control('/arkesel/numbers')).toEqual({
      numbers: { '233271234567': 'invalid', '233571234567': 'not_delivered' },
    });
  });

  it('refuses a send without its fields with 422, and one the SMS balance cannot pay for with 402', async () => {
    const invalid = await api('/sms/send', { body: { sender: 'A sender too long', recipients: [] } });
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ status: 'error', message: expect.stringContaining('sender') });

    await control('/arkesel/balance', 'PUT', { sms_balance: 1 });
    const long = 'x'.repeat(161);
    const broke = await api('/sms/send', { body: { sender: 'Handover', message: long, recipients: ['0271234567'] } });
    expect(broke.status).toBe(402);
    expect(await broke.json()).toEqual({ status: 'error', message: 'Insufficient balance' });
    expect(await (await api('/clients/balance-details')).json()).toEqual({
      status: 'success',
      data: { sms_balance: 1, main_balance: 0 },
    });
  });

  it('shows the texts it accepted on a page at /arkesel/, escaped', async () => {
    await api('/sms/send', {
      body: { sender: 'Handover', message: 'Ref <ATI123> & more', recipients: ['0271234567'] },
    });
    const page = await fetch(`${base}/arkesel/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('Ref &#60;ATI123&#62; &#38; more');
    expect(html).toContain('To +233271234567 from Handover');
  });

  it("answers with the sandbox's injected faults like every emulator", async () => {
    await control('/faults/arkesel', 'PUT', { errorRate: 1, statusCode: 429, retryAfterSeconds: 3, remaining: 1 });
    const limited = await api('/sms/send', { body: { sender: 'Handover', message: 'hi', recipients: ['0271234567'] } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await control('/arkesel/messages')) as unknown).toEqual({ messages: [] });
  });

  it('forgets texts, outcomes and pending reports on reset', async () => {
    await control('/arkesel/numbers/0271234567', 'PUT', { outcome: 'expired' });
    await send(['0271234567'], { callback_url: callbackUrl });
    await control('/reset', 'POST');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(received).toEqual([]);
    expect(await control('/arkesel/messages')).toEqual({ messages: [] });
    expect(await control('/arkesel/numbers')).toEqual({ numbers: {} });
  });
});
