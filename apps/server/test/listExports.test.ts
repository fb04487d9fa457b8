import { randomBytes } from 'node:crypto';
import { LIST_NAMES, listExportColumns } from '@handover/core';
import { AdminAlert, InventoryItem, Order, PendingCompensation, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, createUser, errorOf, signedIn, startServer } from './harness';
import { quarantinedRecord } from './quarantineFixture';

type Client = Awaited<ReturnType<typeof signedIn>>['api'];

/** RFC 4180 rows, enough for COPY's output: quoted fields may hold commas and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

/**
 * Issues 25 and 26 through the real server and database: list totals and CSV exports of the
 * current filter (every page), the Quarantine procedures and an alert's history, with the roles
 * that may not have them refused.
 */
describe('back-office list totals, exports, quarantine and alert history', () => {
  const db = useTestDatabase();
  let app: FastifyInstance;
  let base: string;
  let keys: string;
  let ops: Client;
  let finance: Client;
  let customer: Client;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    keys = `k1=${randomBytes(32).toString('base64')}`;
    const started = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock: { now: () => new Date() },
      env: { HANDOVER_ENCRYPTION_KEYS: keys },
    });
    app = started.app;
    base = started.base;
    for (const [email, role] of [
      ['ops@example.com', 'ops'],
      ['finance@example.com', 'finance'],
      ['customer@example.com', 'customer'],
    ] as const) {
      await createUser(db.orm, email, role);
      const session = await signedIn(base, email);
      cookies[role] = [...session.jar].map(([name, value]) => `${name}=${value}`).join('; ');
      if (role === 'ops') ops = session.api;
      if (role === 'finance') finance = session.api;
      if (role === 'customer') customer = session.api;
    }
    // 70 orders: more than a page (25) or the largest page the list serves (200 is its cap; 70 is
    // enough to show the export is not one page). Every third is refunded; EUR and USD alternate.
    const em = db.orm.em.fork();
    const buyer = em.create(User, { email: 'buyer@example.com' });
    for (let i = 0; i < 70; i++) {
      em.create(Order, {
        orderCode: `HO-X${String(i).padStart(5, '0')}`,
        user: buyer,
        email: i === 3 ? '=HYPERLINK("http://evil.test")@example.com' : `buyer${i}@example.com`,
        phone: i === 3 ? '+44 20 7946 0000' : null,
        status: i % 3 === 0 ? 'refunded' : 'paid',
        refundedMinor: i % 3 === 0 ? 100 + i : 0,
        amountMinor: 100 + i,
        currency: i % 2 === 0 ? 'EUR' : 'USD',
        createdAt: new Date(Date.UTC(2026, 10, 1, 0, i)),
      });
    }
    await em.flush();
  });
  afterAll(() => app?.close());

  const download = (path: string, role?: string) =>
    fetch(`${base}/exports/${path}`, { headers: role ? { cookie: cookies[role] ?? '' } : {} });

  it('counts the rows of the current filter and sums order amounts by currency', async () => {
    const refunded = await finance.backOffice.lists.totals.query({ list: 'orders', filter: { status: 'refunded' } });
    // i = 0, 3, …, 69: 24 orders, 12 of each currency.
    expect(refunded).toMatchObject({ count: 24, capped: false });
    const expected = (parity: number) => {
      const ids = Array.from({ length: 70 }, (_, i) => i).filter((i) => i % 3 === 0 && i % 2 === parity);
      const amount = ids.reduce((sum, i) => sum + 100 + i, 0);
      return { count: ids.length, amountMinor: amount, refundedMinor: amount };
    };
    expect(refunded.sums).toEqual([
      { currency: 'EUR', ...expected(0) },
      { currency: 'USD', ...expected(1) },
    ]);
    const all = await ops.backOffice.lists.totals.query({ list: 'orders', filter: {} });
    expect(all.count).toBe(70);
    const today = await ops.backOffice.lists.totals.query({
      list: 'orders',
      filter: { createdFrom: '2026-11-01T00:10:00.000Z', createdTo: '2026-11-01T00:19:59.999Z' },
    });
    expect(today.count).toBe(10);
    expect((await ops.backOffice.lists.totals.query({ list: 'fulfillment-records', filter: {} })).sums).toBeNull();
  });

  it('refuses totals to customers, to roles the list is not for and for a filter the list does not take', async () => {
    expect(await errorOf(customer.backOffice.lists.totals.query({ list: 'orders', filter: {} }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await errorOf(finance.backOffice.lists.totals.query({ list: 'inventory-items', filter: {} }))).toMatchObject(
      { code: 'FORBIDDEN', message: expect.stringContaining('ops or admin') },
    );
    expect(
      await errorOf(ops.backOffice.lists.totals.query({ list: 'orders', filter: { status: 'lost' } })),
    ).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { status: [expect.any(String)] } });
    expect(await errorOf(ops.backOffice.lists.totals.query({ list: 'orders', filter: { secret: 'x' } }))).toMatchObject(
      { code: 'BAD_REQUEST' },
    );
    expect(await errorOf(browser(base).api.backOffice.lists.totals.query({ list: 'orders' }))).toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('exports every row of the filter (not one page) as CSV, newest first, formula-looking cells made inert', async () => {
    const response = await download('orders.csv?status=refunded&q=', 'finance');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="orders_\d{4}-\d{2}-\d{2}\.csv"/);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header?.slice(0, 3)).toEqual(['created_at_utc', 'order_code', 'email']);
    const codes = rows.map((row) => row[1]);
    const wanted = Array.from({ length: 70 }, (_, i) => 69 - i)
      .filter((i) => i % 3 === 0)
      .map((i) => `HO-X${String(i).padStart(5, '0')}`);
    expect(codes).toEqual(wanted);
    const formula = rows.find((row) => row[1] === 'HO-X00003');
    expect(formula?.[2]).toBe('\'=HYPERLINK("http://evil.test")@example.com');
    expect(formula?.[3]).toBe("'+44 20 7946 0000");
    expect(formula?.[0]).toBe('2026-11-01 00:03:00');

    const everything = parseCsv(await (await download('orders.csv', 'ops')).text());
    expect(everything.length).toBe(71);
    const activity = await download('activity.csv?action=list.', 'ops');
    const exported = parseCsv(await activity.text()).slice(1);
    expect(exported.map((row) => row[1])).toContain('list.exported');
  });

  it('exports and counts every list, each with its own columns', async () => {
    await quarantinedRecord(db.orm, keys, { orderCode: 'HO-EVERY' });
    for (const list of LIST_NAMES) {
      const response = await download(`${list}.csv`, 'ops');
      expect(response.status, list).toBe(200);
      const [header, ...rows] = parseCsv(await response.text());
      expect(header, list).toEqual(listExportColumns(list).map((column) => column.header));
      const totals = await ops.backOffice.lists.totals.query({ list, filter: {} });
      expect(totals.count, list).toBe(rows.length);
    }
  });

  it('refuses an export without a session, to a role the list is not for, and for an unknown list or filter', async () => {
    expect((await download('orders.csv')).status).toBe(401);
    expect((await download('orders.csv', 'customer')).status).toBe(403);
    expect((await download('inventory-items.csv', 'finance')).status).toBe(403);
    expect((await download('inventory-items.csv', 'ops')).status).toBe(200);
    expect((await download('payroll.csv', 'ops')).status).toBe(404);
    const bad = await download('orders.csv?status=lost&password=1', 'ops');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: string[] }).problems.join(' ')).toMatch(
      /status.*password|password.*status/,
    );
  });

  it('exports and counts exactly the customers the filtered customers list pages through', async () => {
    // 60 customers, one a minute: "alex" matches the name of every second one and the email of
    // every third (40 in all), more than one page. A staff member named Alex is not a customer.
    const em = db.orm.em.fork();
    const members = Array.from({ length: 60 }, (_, i) =>
      em.create(User, {
        email: i % 3 === 0 ? `alex.member${i}@shop.test` : `member${i}@shop.test`,
        name: i % 2 === 0 ? `Alex Member ${i}` : null,
        passwordHash: 'scrypt$not-a-real-hash',
        customerNumber: i === 0 ? 'CN-0000042' : null,
        createdAt: new Date(Date.UTC(2026, 10, 2, 0, i)),
      }),
    );
    em.create(User, { email: 'alex.staff@example.com', name: 'Alex Staff', role: 'ops' });
    const [first] = members;
    for (let n = 0; n < 3; n++) {
      em.create(Order, {
        orderCode: `HO-C${String(n).padStart(5, '0')}`,
        user: first as User,
        email: first?.email ?? '',
        amountMinor: 500,
        currency: 'EUR',
        createdAt: new Date(Date.UTC(2026, 10, 3, 9, n)),
      });
    }
    await em.flush();

    const filter = { q: 'alex', createdFrom: '2026-11-02T00:00:00.000Z' };
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { email: string }[]; nextCursor: string | null } =
        await finance.backOffice.customers.list.query({ ...filter, limit: 25, cursor });
      listed.push(...page.items.map((item) => item.email));
      cursor = page.nextCursor;
    } while (cursor);
    const wanted = Array.from({ length: 60 }, (_, i) => 59 - i)
      .filter((i) => i % 2 === 0 || i % 3 === 0)
      .map((i) => (i % 3 === 0 ? `alex.member${i}@shop.test` : `member${i}@shop.test`));
    expect(listed).toEqual(wanted);

    const response = await download(`customers.csv?${new URLSearchParams(filter)}`, 'finance');
    expect(response.status).toBe(200);
    const body = await response.text();
    const [header, ...rows] = parseCsv(body);
    expect(header).toEqual(listExportColumns('customers').map((column) => column.header));
    const column = (name: string) => header?.indexOf(name) ?? -1;
    expect(rows.map((row) => row[column('email')])).toEqual(listed);
    expect(body).not.toContain('scrypt$');
    expect(header?.join(',')).not.toMatch(/password|token/);
    const alex0 = rows.find((row) => row[column('email')] === 'alex.member0@shop.test');
    expect(alex0?.[column('name')]).toBe('Alex Member 0');
    expect(alex0?.[column('customer_number')]).toBe('CN-0000042');
    expect(alex0?.[column('orders')]).toBe('3');
    expect(alex0?.[column('last_order_at_utc')]).toBe('2026-11-03 09:02:00');
    expect(alex0?.[column('created_at_utc')]).toBe('2026-11-02 00:00:00');
    const member2 = rows.find((row) => row[column('email')] === 'member2@shop.test');
    expect(member2?.[column('orders')]).toBe('0');
    expect(member2?.[column('last_order_at_utc')]).toBe('');

    const totals = await finance.backOffice.lists.totals.query({ list: 'customers', filter });
    expect(totals).toEqual({ count: listed.length, capped: false, sums: null });

    expect((await download('customers.csv', 'customer')).status).toBe(403);
    expect(await errorOf(customer.backOffice.lists.totals.query({ list: 'customers', filter: {} }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await download('customers.csv?q=alex&role=ops', 'ops')).status).toBe(400);
  });

  it('lists what a failed rollback holds, retries its undo now and resolves it, for ops only', async () => {
    const first = await quarantinedRecord(db.orm, keys, { orderCode: 'HO-QUAR1', account: 'held-one@outlook.test' });
    const second = await quarantinedRecord(db.orm, keys, { orderCode: 'HO-QUAR2', account: 'held-two@outlook.test' });

    const listed = await finance.backOffice.quarantine.list.query({ status: 'pending' });
    const row = listed.items.find((item) => item.recordId === first.record.id);
    expect(row).toMatchObject({
      orderCode: 'HO-QUAR1',
      status: 'pending',
      attempts: 1,
      lastError: expect.stringContaining('deleteOrder answered 503'),
      stepsToUndo: ['create_vendor_order'],
      quarantined: [{ email: 'held-one@outlook.test', pool: 'quarantine-fixture' }],
    });
    expect(row?.nextAttemptAt).not.toBeNull();

    for (const refused of [
      () => finance.backOffice.quarantine.retryNow.mutate({ recordId: first.record.id }),
      () =>
        finance.backOffice.quarantine.resolve.mutate({
          recordId: first.record.id,
          decision: 'write_off',
          note: 'gone at the vendor',
        }),
      () => customer.backOffice.quarantine.list.query({}),
    ]) {
      expect(await errorOf(refused())).toMatchObject({ code: 'FORBIDDEN' });
    }

    await ops.backOffice.quarantine.retryNow.mutate({ recordId: first.record.id });
    const retried = await db.orm.em.fork().findOneOrFail(PendingCompensation, { record: first.record.id });
    expect(retried.status).toBe('pending');
    expect(
      await errorOf(
        ops.backOffice.quarantine.resolve.mutate({ recordId: second.record.id, decision: 'write_off', note: '' }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
    });

    await ops.backOffice.quarantine.resolve.mutate({
      recordId: first.record.id,
      decision: 'return_to_pool',
      note: 'Deleted the vendor order by hand',
    });
    await ops.backOffice.quarantine.resolve.mutate({
      recordId: second.record.id,
      decision: 'write_off',
      note: 'The vendor keeps the account',
    });
    const em = db.orm.em.fork();
    expect((await em.findOneOrFail(InventoryItem, first.account.id)).status).toBe('available');
    expect((await em.findOneOrFail(InventoryItem, second.account.id)).status).toBe('depleted');
    const resolved = await ops.backOffice.quarantine.list.query({ status: 'resolved' });
    expect(resolved.items.map((item) => item.resolution)).toEqual(
      expect.arrayContaining([
        'Returned to the pool: Deleted the vendor order by hand',
        'Written off: The vendor keeps the account',
      ]),
    );
  });

  it("shows an alert's state and history: raised, acknowledged, resolved", async () => {
    const { record } = await quarantinedRecord(db.orm, keys, { orderCode: 'HO-QUAR3' });
    const alert = await db.orm.em.fork().findOneOrFail(AdminAlert, { dedupeKey: `rollback_failure:${record.id}` });
    const opened = await finance.backOffice.alerts.byId.query({ id: alert.id });
    expect(opened).toMatchObject({ state: 'open', type: 'rollback_failure', occurrences: 1 });
    expect(opened.history.map((entry) => entry.kind)).toEqual(['raised']);
    expect(opened.history[0]?.detail).toContain('HO-QUAR3');

    await ops.backOffice.alerts.acknowledge.mutate({ id: alert.id });
    expect((await ops.backOffice.alerts.byId.query({ id: alert.id })).state).toBe('acknowledged');
    await ops.backOffice.quarantine.resolve.mutate({ recordId: record.id, decision: 'write_off', note: 'written off' });
    const closed = await ops.backOffice.alerts.byId.query({ id: alert.id });
    expect(closed.state).toBe('resolved');
    expect(closed.history.map((entry) => entry.kind)).toEqual(['raised', 'acknowledged', 'resolved']);
    expect(closed.history[2]?.detail).toBe('Written off: written off');

    const resolvedIds = (await ops.backOffice.alerts.list.query({ state: 'resolved' })).items.map((a) => a.id);
    expect(resolvedIds).toContain(alert.id);
    expect((await ops.backOffice.alerts.list.query({ state: 'open' })).items.map((a) => a.id)).not.toContain(alert.id);
    expect(await errorOf(customer.backOffice.alerts.byId.query({ id: alert.id }))).toMatchObject({ code: 'FORBIDDEN' });
  });
});
