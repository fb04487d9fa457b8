import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { captureProviderCalls, PermanentError, TransientError } from '@handover/core';
import { arkeselEmulator, createSandbox } from '@handover/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArkeselClient } from '../src/sms/arkesel/arkeselClient';
import { type ArkeselConfig, arkeselEnvSchema } from '../src/sms/arkesel/env';
import { callbackToken } from '../src/sms/callbackToken';
import { DeliveryReportRejected } from '../src/sms/smsSender';

const API_KEY = 'arkesel-test-key-0123456789';
const SECRET = 'arkesel-callback-secret-0123456789';
const TO = '+233271234567';

interface Received {
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  query: Record<string, string>;
  /** The reference the callback proved, when it did. */
  reference?: string;
  rejected?: unknown;
}

describe('ArkeselClient against the sandbox, with delivery reports received over HTTP', () => {
  let sandbox: Awaited<ReturnType<typeof createSandbox>>;
  let base: string;
  let receiver: Server;
  let received: Received[] = [];
  let config: ArkeselConfig;
  let client: ArkeselClient;

  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? undefined : res.json();
  };
  const texts = async () =>
    ((await control('/arkesel/messages')) as { messages: { id: string; recipient: string; callbackUrl: string }[] })
      .messages;
  const reportCount = async (n: number) => {
    const deadline = Date.now() + 3_000;
    while (received.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} delivery reports, got ${received.length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return received;
  };

  beforeAll(async () => {
    // Handover's delivery-report route in miniature: the callback URL's query goes to the client.
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const query = Object.fromEntries(new URL(req.url ?? '/', 'http://receiver').searchParams);
        const entry: Received = { rawBody: Buffer.concat(chunks), headers: req.headers, query };
        try {
          entry.reference = client.verifyDeliveryCallback(query);
        } catch (error) {
          entry.rejected = error;
        }
        received.push(entry);
        res.statusCode = entry.reference ? 204 : 401;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

    sandbox = await createSandbox({
      emulators: [arkeselEmulator({ apiKey: API_KEY, reportDelayMs: 30, retryDelaysMs: [30] })],
      publicUrl: 'http://sandbox.test',
      hangMs: 2_000,
    });
    await sandbox.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
    config = {
      baseUrl: `${base}/arkesel`,
      apiKey: API_KEY,
      senderId: 'Handover',
      callbackUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/sms/arkesel`,
      callbackSecret: SECRET,
      timeoutMs: 500,
    };
    client = new ArkeselClient(config);
  });
  afterAll(async () => {
    await sandbox.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
  beforeEach(async () => {
    await control('/reset', 'POST');
    received = [];
  });

  it('sends a text to an E.164 number and returns Arkesel’s message id, keeping the text and key out of the log', async () => {
    const sent = await captureProviderCalls(() => client.send(TO, 'Your 1GB bundle was delivered. Ref ATI123', 'ob-1'));
    expect(sent.ok).toBe(true);
    const id = sent.ok ? sent.value : '';
    const [text] = await texts();
    expect(text).toMatchObject({ id, recipient: '233271234567' });
    const callback = new URL(text?.callbackUrl ?? '');
    expect(callback.searchParams.get('reference')).toBe('ob-1');
    expect(callback.searchParams.get('token')).toBe(callbackToken(SECRET, 'ob-1'));
    expect(sent.calls[0]).toMatchObject({
      provider: 'arkesel',
      httpStatus: 200,
      request: { sender: 'Handover', recipients: ['233271234567'], message: '[redacted]', callback_url: '[redacted]' },
    });
    expect(JSON.stringify(sent.calls)).not.toContain('Ref ATI123');
    expect(JSON.stringify(sent.calls)).not.toContain(API_KEY);
    // Its report is on its way: taken here, it cannot land among the next test's.
    expect((await reportCount(1))[0]?.reference).toBe('ob-1');
  });

  it('takes the delivery callback by the token in its URL, and reads the status back from Arkesel', async () => {
    const id = await client.send(TO, 'Delivered', 'ob-2');
    const [first] = await reportCount(1);
    expect(first?.rejected).toBeUndefined();
    expect(first?.reference).toBe('ob-2');
    const read = await captureProviderCalls(() => client.deliveryStatus(id));
    expect(read.ok && read.value).toEqual({ status: 'delivered', final: true, providerStatus: 'DELIVERED' });
    expect(read.calls[0]).toMatchObject({
      method: 'GET',
      httpStatus: 200,
      response: { data: { message: '[redacted]' } },
    });
  });

  it('proves a resent callback the same way: the same reference, the same status read back', async () => {
    const id = await client.send(TO, 'Delivered', 'ob-3');
    await reportCount(1);
    await control(`/arkesel/messages/${id}/resend-report`, 'POST');
    const [first, again] = await reportCount(2);
    expect(again?.reference).toBe(first?.reference);
    expect(await client.deliveryStatus(id)).toMatchObject({ status: 'delivered' });
  });

  it('reads a text the network could not deliver as a final `undelivered`', async () => {
    await control(`/arkesel/numbers/${encodeURIComponent(TO)}`, 'PUT', { outcome: 'not_delivered' });
    const id = await client.send(TO, 'Will not arrive', 'ob-4');
    await reportCount(1);
    expect(await client.deliveryStatus(id)).toEqual({
      status: 'undelivered',
      final: true,
      providerStatus: 'NOT_DELIVERED',
    });
  });

  it('refuses callbacks without a token, with another text’s token or a forged one, and without a secret', async () => {
    const reasonOf = (fn: () => unknown) => {
      try {
        fn();
        return 'accepted';
      } catch (error) {
        expect(error).toBeInstanceOf(DeliveryReportRejected);
        return (error as DeliveryReportRejected).reason;
      }
    };
    const token = callbackToken(SECRET, 'ob-5');
    expect(reasonOf(() => client.verifyDeliveryCallback({ reference: 'ob-5', token }))).toBe('accepted');
    expect(reasonOf(() => client.verifyDeliveryCallback({ reference: 'ob-6', token }))).toBe('bad_token');
    expect(reasonOf(() => client.verifyDeliveryCallback({ reference: 'ob-5', token: `${token}x` }))).toBe('bad_token');
    expect(reasonOf(() => client.verifyDeliveryCallback({ reference: 'ob-5' }))).toBe('missing_token');
    expect(reasonOf(() => client.verifyDeliveryCallback({}))).toBe('missing_token');
    const forger = new ArkeselClient({ ...config, callbackSecret: 'someone-elses-secret-0123456789' });
    expect(reasonOf(() => forger.verifyDeliveryCallback({ reference: 'ob-5', token }))).toBe('bad_token');
    const unconfigured = new ArkeselClient({ ...config, callbackUrl: undefined, callbackSecret: undefined });
    expect(reasonOf(() => unconfigured.verifyDeliveryCallback({ reference: 'ob-5', token }))).toBe('not_configured');
  });

  it('refuses a number that is not E.164 before calling Arkesel', async () => {
    for (const to of ['0271234567', '+233 27 123 4567', '+2332712', 'not a number']) {
      const error = await client.send(to, 'x', 'ob-6').catch((e) => e);
      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toMatchObject({ code: 'invalid_phone', message: expect.stringContaining('E.164') });
    }
    expect(await control('/calls?emulator=arkesel')).toEqual({});
  });

  it('treats a number Arkesel lists under "invalid numbers" as a permanent invalid_phone', async () => {
    await control(`/arkesel/numbers/${encodeURIComponent(TO)}`, 'PUT', { outcome: 'invalid' });
    const error = await client.send(TO, 'x', 'ob-7').catch((e) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ code: 'invalid_phone' });
    expect(await texts()).toEqual([]);
  });

  it('treats an empty SMS balance as a transient insufficient_balance, to send once topped up', async () => {
    await control('/arkesel/balance', 'PUT', { sms_balance: 0 });
    const error = await client.send(TO, 'x', 'ob-8').catch((e) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ code: 'insufficient_balance', options: { httpStatus: 402 } });
    await control('/arkesel/balance', 'PUT', { sms_balance: 10 });
    await expect(client.send(TO, 'x', 'ob-8')).resolves.toEqual(expect.any(String));
  });

  it('treats an injected 503 and a provider that never answers as transient', async () => {
    await control('/faults/arkesel', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    const down = await client.send(TO, 'x', 'ob-9').catch((e) => e);
    expect(down).toBeInstanceOf(TransientError);
    expect(down).toMatchObject({ code: 'provider_unavailable', options: { httpStatus: 503 } });

    await control('/faults/arkesel', 'PUT', { timeoutRate: 1, remaining: 1 });
    const silent = await client.send(TO, 'x', 'ob-9').catch((e) => e);
    expect(silent).toBeInstanceOf(TransientError);
    expect(silent).toMatchObject({ code: 'timeout' });
  });

  it('treats a wrong api-key as a permanent "unauthorized" error', async () => {
    const wrongKey = new ArkeselClient({ ...config, apiKey: 'not-the-key' });
    await expect(wrongKey.send(TO, 'x', 'ob-10')).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'unauthorized',
      options: { httpStatus: 403 },
    });
  });

  it('spaces a burst of sends to the configured rate', async () => {
    const slow = new ArkeselClient({ ...config, sendsPerSecond: 5 });
    const started = performance.now();
    await Promise.all([slow.send(TO, 'a', 'ob-11'), slow.send(TO, 'b', 'ob-12'), slow.send(TO, 'c', 'ob-13')]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(await texts()).toHaveLength(3);
  });
});

describe('Arkesel configuration', () => {
  it('reads the ARKESEL_* variables, with Arkesel’s own host by default', () => {
    expect(
      arkeselEnvSchema.parse({
        ARKESEL_API_KEY: 'k',
        ARKESEL_SENDER_ID: 'Handover',
        ARKESEL_CALLBACK_URL: 'https://handover.example/webhooks/sms/arkesel',
        ARKESEL_CALLBACK_SECRET: 'a-secret-of-16-chars',
        ARKESEL_SANDBOX: 'true',
      }),
    ).toEqual({
      baseUrl: 'https://sms.arkesel.com',
      apiKey: 'k',
      senderId: 'Handover',
      callbackUrl: 'https://handover.example/webhooks/sms/arkesel',
      callbackSecret: 'a-secret-of-16-chars',
      sandbox: true,
      timeoutMs: 15_000,
      sendsPerSecond: 10,
    });
  });

  it('asks for the callback secret when delivery reports are asked for, and a short sender id', () => {
    const result = arkeselEnvSchema.safeParse({
      ARKESEL_API_KEY: 'k',
      ARKESEL_SENDER_ID: 'Far too long a sender',
      ARKESEL_CALLBACK_URL: 'https://handover.example/webhooks/sms/arkesel',
    });
    expect(result.error?.issues).toMatchObject([
      { path: ['ARKESEL_SENDER_ID'], message: 'must be 1 to 11 letters, digits or spaces' },
      { path: ['ARKESEL_CALLBACK_SECRET'], message: 'is required when ARKESEL_CALLBACK_URL is set' },
    ]);
  });
});
