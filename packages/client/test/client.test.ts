import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { systemClock } from '@handover/core';
import { User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signedIn, startServer } from '../../../apps/server/test/harness';
import {
  createHandoverClient,
  errorCode,
  type HandoverClient,
  HandoverDownloadError,
  isHandoverApiError,
} from '../src/index.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('@handover/client against a running server', () => {
  const db = useTestDatabase();
  let app: FastifyInstance;
  let base: string;
  let customerToken: string;
  let financeToken: string;
  /** Every status the server answered the SDK with. */
  const statuses: number[] = [];
  const counting: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    statuses.push(response.status);
    return response;
  };
  const client = (token: string, extra: Partial<Parameters<typeof createHandoverClient>[0]> = {}): HandoverClient =>
    createHandoverClient({ url: `${base}/`, token, fetch: counting, ...extra });

  beforeAll(async () => {
    ({ app, base } = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock: systemClock,
      // Six calls at once, then one every 250 ms: the retry test meets the limit.
      env: { API_TOKEN_BURST: '6', API_TOKEN_RATE_PER_MINUTE: '240' },
    }));
    await createUser(db.orm, 'shop@example.com', 'customer');
    await createUser(db.orm, 'finance@example.com', 'finance');
    const shop = (await signedIn(base, 'shop@example.com')).api;
    customerToken = (await shop.apiTokens.create.mutate({ name: 'sdk', scopes: ['orders:read'], expiresInDays: 1 }))
      .token;
    const finance = (await signedIn(base, 'finance@example.com')).api;
    financeToken = (
      await finance.apiTokens.create.mutate({
        name: 'books',
        scopes: ['orders:read', 'reports:finance'],
        expiresInDays: 1,
      })
    ).token;
    const user = await db.orm.em.fork().findOneOrFail(User, { email: 'shop@example.com' });
    await db.orm.em.fork().execute(
      `insert into orders (order_code, user_id, email, amount_minor, currency, created_at, updated_at)
       select 'HO-' || upper(lpad(to_hex(g), 8, '0')), ?, ?, 1000 + g, 'USD',
              now() - g * interval '1 second', now()
         from generate_series(1, 1000) g`,
      [user.id, user.email],
    );
  });
  afterAll(() => app?.close());

  it('pages through 1,000 orders with `for await`, each once, newest first, five calls of 200', async () => {
    // Wait for the token's budget to fill, so this test does not meet the limit.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sdk = client(customerToken);
    const codes: string[] = [];
    let previous = Number.POSITIVE_INFINITY;
    const before = statuses.length;
    for await (const order of sdk.orders.iterate()) {
      codes.push(order.orderCode);
      expect(order.createdAt.getTime()).toBeLessThanOrEqual(previous);
      previous = order.createdAt.getTime();
    }
    expect(codes).toHaveLength(1000);
    expect(new Set(codes).size).toBe(1000);
    expect(codes[0]).toBe('HO-00000001');
    expect(statuses.slice(before, before + 5)).toEqual([200, 200, 200, 200, 200]);

    // A filter, and an early break that asks for no more pages.
    const firstTen: string[] = [];
    for await (const order of sdk.orders.iterate({ order: 'asc', limit: 5 })) {
      firstTen.push(order.orderCode);
      if (firstTen.length === 10) break;
    }
    expect(firstTen[0]).toBe('HO-000003E8');
  });

  it('waits out a 429 as Retry-After asks, and the calls go through', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sdk = client(customerToken);
    const before = statuses.length;
    const started = Date.now();
    for (let i = 0; i < 10; i += 1) await sdk.auth.me.query();
    const answered = statuses.slice(before);
    expect(answered.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(answered.filter((s) => s === 200)).toHaveLength(10);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('throws typed errors: the code, the HTTP status and a form’s field errors', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sdk = client(customerToken);
    const refused = await sdk.backOffice.fulfillment.retry.mutate({ ids: [crypto.randomUUID()] }).catch((e) => e);
    expect(isHandoverApiError(refused)).toBe(true);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    if (!isHandoverApiError(refused)) throw refused;
    expect(refused.data?.httpStatus).toBe(403);
    const invalid = await sdk.orders.byCode.query({ orderCode: 'nope' }).catch((e) => e);
    expect(errorCode(invalid)).toBe('BAD_REQUEST');
    expect(invalid.data.fieldErrors).toEqual({ orderCode: ['not an order code'] });
    expect(
      errorCode(
        await client('hov_pat_nope')
          .auth.me.query()
          .catch((e) => e),
      ),
    ).toBe('UNAUTHORIZED');
    expect(errorCode(new Error('mine'))).toBeNull();
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const sdk = createHandoverClient({
      url: `http://127.0.0.1:${port}`,
      token: customerToken,
      timeoutMs: 300,
      retries: 0,
    });
    const started = Date.now();
    const error = await sdk.auth.me.query().catch((e) => e);
    expect(String(error?.cause?.message ?? error?.message)).toMatch(/did not answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
    silent.close();
  });

  it('streams a report download, and says what was wrong with a bad one', async () => {
    const sdk = client(financeToken);
    const report = await sdk.reports.download('revenue', { from: '2026-11-01', to: '2026-11-30', format: 'csv' });
    expect(report.fileName).toMatch(/^revenue.*\.csv$/);
    expect(report.contentType).toMatch(/^text\/csv/);
    const text = await new Response(report.body).text();
    expect(text.split('\n')[0]).toMatch(/^occurred_at,day,type,order_code/);
    const xlsx = await sdk.reports.download('refunds', { from: '2026-11-01', to: '2026-11-30', format: 'xlsx' });
    const bytes = new Uint8Array(await new Response(xlsx.body).arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]);

    const bad = await sdk.reports.download('revenue', { from: 'yesterday', to: '2026-11-30' }).catch((e) => e);
    expect(bad).toBeInstanceOf(HandoverDownloadError);
    expect(bad).toMatchObject({ status: 400, problems: expect.arrayContaining([expect.stringMatching(/^from: /)]) });
    await expect(
      client(customerToken).reports.download('revenue', { from: '2026-11-01', to: '2026-11-02' }),
    ).rejects.toMatchObject({ status: 403, message: 'This report needs the finance or admin role.' });
  }, 30_000);

  it('builds to ESM with its types, and the built package calls the server', async () => {
    execFileSync(process.execPath, [require_('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: packageDir,
      stdio: 'pipe',
    });
    expect(existsSync(`${packageDir}/dist/index.js`)).toBe(true);
    const types = readFileSync(`${packageDir}/dist/index.d.ts`, 'utf8');
    expect(types).toMatch(/createHandoverClient/);
    expect(readFileSync(`${packageDir}/dist/client.js`, 'utf8')).toMatch(/from "\.\/pages\.js"/);
    const built = (await import(`${packageDir}/dist/index.js`)) as typeof import('../src/index.ts');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const me = await built.createHandoverClient({ url: base, token: customerToken }).auth.me.query();
    expect(me).toMatchObject({ email: 'shop@example.com' });
  }, 120_000);
});

function require_(id: string): string {
  return createRequire(import.meta.url).resolve(id);
}
