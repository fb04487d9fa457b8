import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/emulator';
import { createSandbox } from '../src/sandbox';

/** A vendor stand-in for these tests only: one create endpoint keyed by Idempotency-Key. */
function widgetEmulator(): Emulator {
  let created = 0;
  return {
    name: 'widgets',
    prefix: '/widgets',
    idempotencyHeader: 'Idempotency-Key',
    register(app) {
      app.post('/v1/widgets', async () => ({ id: `w_${++created}` }));
      app.get('/v1/widgets/:id', async (request) => ({ id: (request.params as { id: string }).id }));
    },
    reset() {
      created = 0;
    },
  };
}

describe('sandbox', () => {
  let app: FastifyInstance;
  let base: string;
  const call = (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);
  const control = (path: string, method = 'GET', body?: unknown) =>
    call(`/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    app = await createSandbox({ emulators: [widgetEmulator()], publicUrl: 'http://sandbox.test', hangMs: 300 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    await control('/reset', 'POST');
  });

  it('lists its control routes and fault settings at /_control', async () => {
    const res = await control('');
    expect(res.status).toBe(200);
    const index = (await res.json()) as { emulators: string[]; routes: string[]; faults: { fields: object } };
    expect(index.emulators).toEqual(['widgets']);
    expect(index.routes).toEqual(
      expect.arrayContaining([
        'GET /_control/calls',
        'PUT /_control/faults/:emulator',
        'DELETE /_control/faults/:emulator',
        'POST /_control/reset',
        'PUT /_control/webhooks',
      ]),
    );
    expect(index.routes).not.toContain('POST /widgets/v1/widgets');
    expect(Object.keys(index.faults.fields)).toContain('errorRate');
  });

  it('serves an emulator under its prefix and counts calls per endpoint and idempotency key', async () => {
    for (const key of ['k-1', 'k-1', 'k-2']) {
      const res = await call('/widgets/v1/widgets', { method: 'POST', headers: { 'Idempotency-Key': key } });
      expect(res.status).toBe(200);
    }
    await call('/widgets/v1/widgets/w_1');
    const calls = await (await control('/calls?emulator=widgets')).json();
    expect(calls).toEqual({
      widgets: {
        endpoints: { 'POST /widgets/v1/widgets': 3, 'GET /widgets/v1/widgets/:id': 1 },
        idempotencyKeys: { 'k-1': 2, 'k-2': 1 },
        faulted: 0,
      },
    });
  });

  it('injects a status code with Retry-After for the next N requests, then recovers', async () => {
    const set = await control('/faults/widgets', 'PUT', {
      errorRate: 1,
      statusCode: 429,
      retryAfterSeconds: 3,
      remaining: 2,
    });
    expect(set.status).toBe(200);
    const first = await call('/widgets/v1/widgets', { method: 'POST' });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect((await call('/widgets/v1/widgets', { method: 'POST' })).status).toBe(429);
    expect((await call('/widgets/v1/widgets', { method: 'POST' })).status).toBe(200);
    const calls = (await (await control('/calls')).json()) as { widgets: { faulted: number } };
    expect(calls.widgets.faulted).toBe(2);
  });

  it('adds latency, and never answers a timed-out request', async () => {
    await control('/faults/widgets', 'PUT', { latencyMs: 150 });
    const started = performance.now();
    expect((await call('/widgets/v1/widgets/w_9')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    await control('/faults/widgets', 'PUT', { timeoutRate: 1 });
    await expect(call('/widgets/v1/widgets/w_9')).rejects.toThrow();
  });

  it('carries out a request whose answer it then drops, as a vendor whose answer is lost', async () => {
    await control('/faults/widgets', 'PUT', { lostAnswerRate: 1, remaining: 1 });
    const headers = { 'idempotency-key': 'lost-1' };
    await expect(call('/widgets/v1/widgets', { method: 'POST', headers })).rejects.toThrow();
    // The widget was made: the next one is the second.
    expect(await (await call('/widgets/v1/widgets', { method: 'POST' })).json()).toEqual({ id: 'w_2' });
    const calls = (await (await control('/calls?emulator=widgets')).json()) as {
      widgets: { idempotencyKeys: Record<string, number>; faulted: number };
    };
    expect(calls.widgets).toMatchObject({ idempotencyKeys: { 'lost-1': 1 }, faulted: 1 });
  });

  it('clears a fault through the control API', async () => {
    await control('/faults/widgets', 'PUT', { errorRate: 1 });
    expect((await call('/widgets/v1/widgets/w_1')).status).toBe(503);
    expect((await control('/faults/widgets', 'DELETE')).status).toBe(204);
    expect((await call('/widgets/v1/widgets/w_1')).status).toBe(200);
  });

  it('lets tests point webhooks at their own server', async () => {
    expect(await (await control('/webhooks', 'PUT', { baseUrl: 'http://127.0.0.1:9/' })).json()).toEqual({
      baseUrl: 'http://127.0.0.1:9/',
    });
    expect((await control('/webhooks', 'PUT', { baseUrl: 'not a url' })).status).toBe(400);
  });

  it('refuses bad fault specs and unknown emulators with a message', async () => {
    const bad = await control('/faults/widgets', 'PUT', { errorRate: 3 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/errorRate/);
    const unknown = await control('/faults/nope', 'PUT', {});
    expect(unknown.status).toBe(404);
  });
});
