import type { AppRouter } from '@handover/api';
import type { ApiTokenScope, FulfillmentStatus } from '@handover/contracts';
import { ActivityLog, ApiToken, FulfillmentRecord, Order, OrderItem, Product, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { FastifyInstance } from 'fastify';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, errorOf, manualClock, signedIn, startServer } from './harness';

type Browser = Awaited<ReturnType<typeof signedIn>>['api'];

/** A caller with nothing but `Authorization: Bearer`, as a script or the SDK calls. */
function withToken(base: string, token: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${base}/trpc`,
        transformer: superjson,
        headers: () => ({ authorization: `Bearer ${token}` }),
      }),
    ],
  });
}

describe('API tokens over HTTP', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-20T12:00:00Z'));
  let app: FastifyInstance;
  let base: string;
  let ops: Browser;
  let admin: Browser;
  let customer: Browser;
  let finance: Browser;

  beforeAll(async () => {
    const started = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock,
      env: { API_TOKEN_BURST: '10', API_TOKEN_RATE_PER_MINUTE: '60' },
    });
    app = started.app;
    base = started.base;
    await createUser(db.orm, 'ops@example.com', 'ops');
    await createUser(db.orm, 'admin@example.com', 'admin');
    await createUser(db.orm, 'customer@example.com', 'customer');
    await createUser(db.orm, 'finance@example.com', 'finance');
    ops = (await signedIn(base, 'ops@example.com')).api;
    admin = (await signedIn(base, 'admin@example.com')).api;
    customer = (await signedIn(base, 'customer@example.com')).api;
    finance = (await signedIn(base, 'finance@example.com')).api;
  });
  afterAll(() => app?.close());

  const tokenOf = async (who: Browser, scopes: ApiTokenScope[], name = 'script', expiresInDays = 30) =>
    (await who.apiTokens.create.mutate({ name, scopes, expiresInDays })).token;

  let orderCounter = 0;
  async function failedRecord(status: FulfillmentStatus = 'failed') {
    const em = db.orm.em.fork();
    const product =
      (await em.findOne(Product, { slug: 'setup' })) ??
      em.create(Product, {
        slug: 'setup',
        name: 'Setup',
        priceMinor: 1000,
        currency: 'USD',
        deliveryModel: 'managed_setup',
        fulfillmentDriver: 'manual',
        fulfillmentConfig: { slaHours: 4, instructions: 'Do it.' },
      });
    const user = await em.findOneOrFail(User, { email: 'customer@example.com' });
    const order = em.create(Order, {
      orderCode: `HO-K${String(++orderCounter).padStart(7, '0')}`,
      user,
      email: user.email,
      amountMinor: 1000,
      currency: 'USD',
    });
    const item = em.create(OrderItem, {
      order,
      product,
      productName: 'Setup',
      driver: 'manual',
      unitPriceMinor: 1000,
      currency: 'USD',
      input: {},
    });
    const record = em.create(FulfillmentRecord, {
      order,
      orderItem: item,
      product,
      driver: 'manual',
      position: 0,
      status,
      payloadSnapshot: {},
      lastError: status === 'failed' ? 'Provider answered 503' : null,
    });
    await em.flush();
    return record.id;
  }

  it('shows a token once, keeps only its hash, and lets it read what its owner may read', async () => {
    const created = await customer.apiTokens.create.mutate({
      name: 'shop site',
      scopes: ['orders:read'],
      expiresInDays: 90,
    });
    expect(created.token).toMatch(/^hov_pat_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: 'shop site', scopes: ['orders:read'], kind: 'personal', state: 'active' });
    const row = await db.orm.em.fork().findOneOrFail(ApiToken, created.id);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect((await customer.apiTokens.mine.query()).map((t) => t)).not.toContainEqual(
      expect.objectContaining({ token: expect.anything() }),
    );

    const api = withToken(base, created.token);
    expect(await api.auth.me.query()).toMatchObject({ email: 'customer@example.com', role: 'customer' });
    await api.orders.list.query({});
    // Reading is not placing: a checkout needs orders:place.
    expect(await errorOf(api.checkout.create.mutate({} as never))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'This API token does not have the orders:place scope.',
    });
  });

  it('refuses a retry to a token with only the read scope, and lets one with operate scope retry', async () => {
    const recordId = await failedRecord();
    const reader = withToken(base, await tokenOf(ops, ['orders:read']));
    expect((await reader.backOffice.fulfillment.records.query({ status: 'failed' })).items.length).toBeGreaterThan(0);
    expect(await errorOf(reader.backOffice.fulfillment.retry.mutate({ ids: [recordId] }))).toMatchObject({
      code: 'FORBIDDEN',
      httpStatus: 403,
      message: 'This API token does not have the fulfillment:operate scope.',
    });
    expect((await db.orm.em.fork().findOneOrFail(FulfillmentRecord, recordId)).status).toBe('failed');

    const operator = withToken(base, await tokenOf(ops, ['orders:read', 'fulfillment:operate']));
    const [result] = await operator.backOffice.fulfillment.retry.mutate({ ids: [recordId] });
    expect(result).toMatchObject({ recordId, ok: true });
    expect((await db.orm.em.fork().findOneOrFail(FulfillmentRecord, recordId)).status).toBe('queued');
  });

  it('never gives a token more than its owner has: refused at making, and cut when the owner loses a role', async () => {
    expect(
      await errorOf(customer.apiTokens.create.mutate({ name: 'x', scopes: ['fulfillment:operate'], expiresInDays: 1 })),
    ).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { scopes: [expect.stringMatching(/customer/)] } });
    expect(
      await errorOf(
        ops.backOffice.apiTokens.createService.mutate({ name: 'x', scopes: ['orders:read'], expiresInDays: 1 }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });

    await createUser(db.orm, 'temp-ops@example.com', 'ops');
    const temp = (await signedIn(base, 'temp-ops@example.com')).api;
    const operator = withToken(base, await tokenOf(temp, ['orders:read', 'fulfillment:operate']));
    const recordId = await failedRecord();
    const tempId = (await db.orm.em.fork().findOneOrFail(User, { email: 'temp-ops@example.com' })).id;
    await admin.users.setRole.mutate({ userId: tempId, role: 'customer' });
    expect(await errorOf(operator.backOffice.fulfillment.retry.mutate({ ids: [recordId] }))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'This needs the ops or admin role.',
    });
  });

  it('refuses a revoked token on its very next call, and an expired one', async () => {
    const made = await customer.apiTokens.create.mutate({
      name: 'to revoke',
      scopes: ['orders:read'],
      expiresInDays: 2,
    });
    const api = withToken(base, made.token);
    await api.auth.me.query();
    await customer.apiTokens.revoke.mutate({ id: made.id });
    expect(await errorOf(api.auth.me.query())).toMatchObject({
      code: 'UNAUTHORIZED',
      httpStatus: 401,
      message: 'This API token is not valid: it was revoked, has expired or never existed.',
    });

    const shortLived = withToken(base, await tokenOf(customer, ['orders:read'], 'short', 1));
    await shortLived.auth.me.query();
    clock.advance(86_400_000 + 1000);
    expect(await errorOf(shortLived.auth.me.query())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await errorOf(withToken(base, `hov_pat_${'A'.repeat(43)}`).auth.me.query())).toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('keeps tokens away from the account itself: no tokens made with a token, no password, no refund', async () => {
    const all = withToken(base, await tokenOf(admin, ['admin']));
    const refusals = [
      () => all.apiTokens.create.mutate({ name: 'child', scopes: ['orders:read'], expiresInDays: 1 }),
      () => all.auth.changePassword.mutate({ currentPassword: 'x', newPassword: 'y'.repeat(12) }),
      () => all.payments.refund.mutate({ orderId: crypto.randomUUID(), reason: 'test refund' }),
      () => all.webhooks.endpoints.query(),
    ];
    for (const call of refusals) {
      expect(await errorOf(call())).toMatchObject({
        code: 'FORBIDDEN',
        message: 'API tokens cannot do this; sign in to Handover to do it.',
      });
    }
    // The admin scope opens everything else an admin may do.
    await all.users.list.query({});
    await all.backOffice.orders.list.query({});
  });

  it('says when a token was last used and from where, and logs its making and revoking', async () => {
    const made = await finance.apiTokens.create.mutate({ name: 'books', scopes: ['orders:read'], expiresInDays: 5 });
    await withToken(base, made.token).auth.me.query();
    const [listed] = (await finance.apiTokens.mine.query()).filter((t) => t.id === made.id);
    expect(listed).toMatchObject({ lastUsedIp: '127.0.0.1', lastUsedAt: clock.now() });
    await finance.apiTokens.revoke.mutate({ id: made.id });
    const actions = (await db.orm.em.fork().find(ActivityLog, { subjectId: made.id })).map((a) => a.action).sort();
    expect(actions).toEqual(['api_token.created', 'api_token.revoked']);
  });

  it('lets admins make service tokens, list every token and revoke anyone’s', async () => {
    const service = await admin.backOffice.apiTokens.createService.mutate({
      name: 'ERP sync',
      scopes: ['orders:read'],
      expiresInDays: 365,
    });
    expect(service.token).toMatch(/^hov_svc_/);
    const someone = await customer.apiTokens.create.mutate({
      name: 'leaked',
      scopes: ['orders:read'],
      expiresInDays: 9,
    });
    const all = await admin.backOffice.apiTokens.list.query({});
    expect(all.map((t) => t.name)).toEqual(expect.arrayContaining(['ERP sync', 'leaked']));
    await admin.backOffice.apiTokens.revoke.mutate({ id: someone.id });
    expect(await errorOf(withToken(base, someone.token).auth.me.query())).toMatchObject({ code: 'UNAUTHORIZED' });
    // A customer cannot reach another's token.
    expect(await errorOf(customer.apiTokens.revoke.mutate({ id: service.id }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers a token that calls too often with 429 and Retry-After, and counts a batch once', async () => {
    const token = await tokenOf(customer, ['orders:read'], 'busy');
    const call = () =>
      fetch(
        `${base}/trpc/auth.me,orders.list?batch=1&input=${encodeURIComponent(JSON.stringify({ 1: { json: {} } }))}`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
    for (let i = 0; i < 10; i += 1) expect((await call()).status).toBe(200);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    // The bucket refills by the database's clock: wait as Retry-After says.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await call()).status).toBe(200);
  });

  it('downloads a report with a token that has its scope, and refuses one without', async () => {
    const url = `${base}/reports/revenue.csv?from=2026-11-01&to=2026-11-30`;
    const books = await tokenOf(finance, ['reports:finance']);
    const reader = await tokenOf(finance, ['orders:read']);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${books}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^occurred_at,/);
    const refused = await fetch(url, { headers: { authorization: `Bearer ${reader}` } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ message: 'This API token does not have the reports:finance scope.' });
    expect((await fetch(url, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
  });

  it('refuses every token of a disabled user', async () => {
    await createUser(db.orm, 'leaver@example.com', 'customer');
    const leaver = (await signedIn(base, 'leaver@example.com')).api;
    const api = withToken(base, await tokenOf(leaver, ['orders:read']));
    await api.auth.me.query();
    await db.orm.em.fork().nativeUpdate(User, { email: 'leaver@example.com' }, { disabledAt: clock.now() });
    expect(await errorOf(api.auth.me.query())).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses every token of an account whose address is not confirmed, as sessions are', async () => {
    await createUser(db.orm, 'unconfirmed@example.com', 'customer');
    const owner = (await signedIn(base, 'unconfirmed@example.com')).api;
    const token = await tokenOf(owner, ['orders:read']);
    const api = withToken(base, token);
    await api.auth.me.query();
    // An account whose address is (again) unproved: its tokens reach nothing, nor its reports.
    await db.orm.em.fork().nativeUpdate(User, { email: 'unconfirmed@example.com' }, { emailVerifiedAt: null });
    expect(await errorOf(api.auth.me.query())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await errorOf(api.orders.list.query({}))).toMatchObject({ code: 'UNAUTHORIZED' });
    const url = `${base}/reports/revenue.csv?from=2026-11-01&to=2026-11-30`;
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});
