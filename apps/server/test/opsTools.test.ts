import { ActivityLog, Order, OutboxMessage, Payment, StaffInvite, StaffNote, User, WalletAccount } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, browser, errorOf, manualClock, signedIn, signedInAsEachRole, startServer } from './harness';

type Client = Awaited<ReturnType<typeof signedIn>>['api'];

describe("the back office's tools for ops: customers, notes, resending messages and staff invites", () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-20T12:00:00Z'));
  let app: FastifyInstance;
  let base: string;
  let ops: Client;
  let finance: Client;
  let admin: Client;
  let customer: Client;
  let opsId: string;
  let orderCounter = 0;

  beforeAll(async () => {
    const started = await startServer({ orm: db.orm, databaseUrl: db.url, clock });
    app = started.app;
    base = started.base;
    ({ opsId, ops, finance, admin, customer } = await signedInAsEachRole(db.orm, base));
  });
  afterAll(() => app?.close());

  /** A customer with a paid order, a wallet and a sent receipt about the order. */
  async function customerWithOrder(email: string, name: string | null = null) {
    const em = db.orm.em.fork();
    const user = em.create(User, { email, name });
    const order = em.create(Order, {
      orderCode: `HO-C${String(++orderCounter).padStart(5, '0')}`,
      user,
      email,
      amountMinor: 1500,
      currency: 'USD',
      status: 'paid',
    });
    em.create(Payment, {
      order,
      user,
      gateway: 'sandbox',
      gatewayPaymentId: `pay_${orderCounter}`,
      purpose: 'order',
      amountMinor: 1500,
      currency: 'USD',
      paidAt: clock.now(),
    });
    em.create(WalletAccount, { user, currency: 'USD', balanceMinor: 700 });
    const receipt = em.create(OutboxMessage, {
      channel: 'email',
      recipient: email,
      template: 'payment_receipt',
      subject: `Receipt for ${order.orderCode}`,
      body: 'We received your payment.',
      data: { orderId: order.id },
      status: 'sent',
      sentAt: clock.now(),
      dedupeKey: `receipt:${order.id}`,
    });
    await em.flush();
    return { userId: user.id, orderId: order.id, receiptId: receipt.id };
  }

  describe('customers', () => {
    it('refuses customers and callers who are not signed in', async () => {
      const { userId } = await customerWithOrder('refused@example.com');
      for (const call of [
        () => customer.backOffice.customers.list.query({}),
        () => customer.backOffice.customers.byId.query({ id: userId }),
      ]) {
        expect(await errorOf(call())).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
      }
      expect(await errorOf(browser(base, ADMIN).api.backOffice.customers.list.query({}))).toMatchObject({
        code: 'UNAUTHORIZED',
      });
    });

    it('lists customers only, searched by part of an email or a name, a page at a time by cursor', async () => {
      await customerWithOrder('ama.mensah@example.com', 'Ama Mensah');
      await customerWithOrder('kofi@example.org', 'Kofi Boateng');
      const byEmail = await finance.backOffice.customers.list.query({ q: 'MENSAH@' });
      expect(byEmail.items.map((c) => c.email)).toEqual(['ama.mensah@example.com']);
      const byName = await ops.backOffice.customers.list.query({ q: 'boateng' });
      expect(byName.items.map((c) => c.email)).toEqual(['kofi@example.org']);
      // A wildcard typed in the search is a character, not a pattern.
      expect((await ops.backOffice.customers.list.query({ q: '%' })).items).toEqual([]);

      const all = await ops.backOffice.customers.list.query({ limit: 200 });
      expect(all.items.map((c) => c.email)).not.toContain('ops@example.com');
      const first = await ops.backOffice.customers.list.query({ limit: 1 });
      expect(first.nextCursor).not.toBeNull();
      const second = await ops.backOffice.customers.list.query({ limit: 1, cursor: first.nextCursor });
      expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
      expect(await errorOf(ops.backOffice.customers.list.query({ cursor: 'forged' }))).toMatchObject({
        httpStatus: 400,
      });
    });

    it("shows one customer's profile, orders, payments, wallet and notes, and never a password hash", async () => {
      const { userId, orderId } = await customerWithOrder('page@example.com', 'Page Owner');
      await ops.backOffice.notes.add.mutate({ subjectType: 'customer', subjectId: userId, body: 'Prefers email.' });
      const page = await finance.backOffice.customers.byId.query({ id: userId });
      expect(page).toMatchObject({
        email: 'page@example.com',
        role: 'customer',
        name: 'Page Owner',
        orderCount: 1,
        wallet: [{ currency: 'USD', balanceMinor: 700 }],
        subscriptions: [],
        billingAccount: null,
        notes: [{ body: 'Prefers email.', authorEmail: 'ops@example.com' }],
      });
      expect(page.orders.map((o) => o.id)).toEqual([orderId]);
      expect(page.payments).toMatchObject([{ orderId, amountMinor: 1500, gateway: 'sandbox' }]);
      expect(JSON.stringify(page)).not.toMatch(/passwordHash/);
      expect(await errorOf(ops.backOffice.customers.byId.query({ id: crypto.randomUUID() }))).toMatchObject({
        code: 'NOT_FOUND',
        message: 'No customer with this id.',
      });
    });

    it('links every order row to its customer', async () => {
      const { userId, orderId } = await customerWithOrder('linked@example.com');
      const { items } = await ops.backOffice.orders.list.query({ q: 'linked@example.com' });
      expect(items).toMatchObject([{ id: orderId, userId }]);
      expect((await ops.backOffice.orders.byId.query({ id: orderId })).userId).toBe(userId);
    });
  });

  describe('notes', () => {
    it('refuses an empty or overlong note with a message for people, and customers altogether', async () => {
      const { orderId } = await customerWithOrder('notes-refused@example.com');
      const empty = await errorOf(
        ops.backOffice.notes.add.mutate({ subjectType: 'order', subjectId: orderId, body: '  ' }),
      );
      expect(empty).toMatchObject({ httpStatus: 400, fieldErrors: { body: ['Write the note before saving it'] } });
      const long = await errorOf(
        ops.backOffice.notes.add.mutate({ subjectType: 'order', subjectId: orderId, body: 'x'.repeat(2001) }),
      );
      expect(long.fieldErrors?.body).toEqual(['Keep the note under 2000 characters']);
      expect(
        await errorOf(customer.backOffice.notes.add.mutate({ subjectType: 'order', subjectId: orderId, body: 'mine' })),
      ).toMatchObject({ code: 'FORBIDDEN' });
      expect(
        await errorOf(
          ops.backOffice.notes.add.mutate({ subjectType: 'order', subjectId: crypto.randomUUID(), body: 'lost' }),
        ),
      ).toMatchObject({ code: 'NOT_FOUND' });
      expect(await db.orm.em.fork().count(StaffNote, { subjectId: orderId })).toBe(0);
    });

    it("keeps each note with its author and time, newest first on the order's page and in its activity", async () => {
      const { orderId } = await customerWithOrder('notes@example.com');
      await ops.backOffice.notes.add.mutate({ subjectType: 'order', subjectId: orderId, body: 'Called the customer.' });
      clock.advance(60_000);
      const saved = await finance.backOffice.notes.add.mutate({
        subjectType: 'order',
        subjectId: orderId,
        body: '  Refund agreed by phone.  ',
      });
      expect(saved).toMatchObject({ body: 'Refund agreed by phone.', authorEmail: 'finance@example.com' });
      const order = await ops.backOffice.orders.byId.query({ id: orderId });
      expect(order.notes.map((n) => [n.body, n.authorEmail])).toEqual([
        ['Refund agreed by phone.', 'finance@example.com'],
        ['Called the customer.', 'ops@example.com'],
      ]);
      expect(order.activity.filter((a) => a.action === 'note.added').map((a) => a.description)).toEqual([
        'Refund agreed by phone.',
        'Called the customer.',
      ]);
    });
  });

  describe('resending messages', () => {
    it("lists an order's messages with their state, and lets ops resend one as a new outbox row", async () => {
      const { orderId, receiptId } = await customerWithOrder('resend@example.com');
      const messages = await finance.backOffice.orders.messages.query({ orderId });
      expect(messages).toMatchObject([{ id: receiptId, template: 'payment_receipt', status: 'sent', canResend: true }]);

      expect(
        await errorOf(finance.backOffice.orders.resendMessage.mutate({ orderId, messageId: receiptId })),
      ).toMatchObject({ code: 'FORBIDDEN' });
      const copy = await ops.backOffice.orders.resendMessage.mutate({ orderId, messageId: receiptId });
      expect(copy).toMatchObject({ status: 'pending', resentFrom: receiptId, recipient: 'resend@example.com' });

      const em = db.orm.em.fork();
      const original = await em.findOneOrFail(OutboxMessage, receiptId);
      expect(original).toMatchObject({ status: 'sent', dedupeKey: `receipt:${orderId}` });
      const row = await em.findOneOrFail(OutboxMessage, copy.id);
      expect(row).toMatchObject({ body: original.body, subject: original.subject, dedupeKey: null });
      const logged = await em.find(ActivityLog, { subjectId: orderId, action: 'order.message_resent' });
      expect(logged).toMatchObject([
        { actorType: 'user', actorId: opsId, properties: { messageId: receiptId, copyId: copy.id } },
      ]);
      expect((await ops.backOffice.orders.messages.query({ orderId })).map((m) => m.id)).toEqual([copy.id, receiptId]);
    });

    it('refuses a message still waiting, one carrying a link, and one of another order', async () => {
      const { orderId, receiptId } = await customerWithOrder('resend-refused@example.com');
      const other = await customerWithOrder('someone-else@example.com');
      const em = db.orm.em.fork();
      const sensitive = em.create(OutboxMessage, {
        channel: 'email',
        recipient: 'resend-refused@example.com',
        template: 'download_link',
        body: '[sent]',
        data: { orderId, sensitive: true },
        status: 'sent',
      });
      const waiting = em.create(OutboxMessage, {
        channel: 'email',
        recipient: 'resend-refused@example.com',
        template: 'payment_receipt',
        body: 'soon',
        data: { orderId },
      });
      await em.flush();
      expect(
        await errorOf(ops.backOffice.orders.resendMessage.mutate({ orderId, messageId: sensitive.id })),
      ).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/cannot be sent again/) });
      expect(
        await errorOf(ops.backOffice.orders.resendMessage.mutate({ orderId, messageId: waiting.id })),
      ).toMatchObject({ code: 'CONFLICT' });
      expect(
        await errorOf(ops.backOffice.orders.resendMessage.mutate({ orderId: other.orderId, messageId: receiptId })),
      ).toMatchObject({ code: 'NOT_FOUND' });
      expect(await db.orm.em.fork().count(OutboxMessage, { recipient: 'resend-refused@example.com' })).toBe(3);
    });
  });

  describe('staff invites', () => {
    const inviteLink = async (email: string) => {
      const [mail] = await db.orm.em
        .fork()
        .find(OutboxMessage, { recipient: email, template: 'staff_invite' }, { orderBy: { createdAt: 'desc' } });
      const link = /http:\/\/admin\.test:5174\/admin\/#\/accept-invite\?token=(\S+)/.exec(mail?.body ?? '');
      if (!link?.[1]) throw new Error(`no invite link in ${mail?.body}`);
      return decodeURIComponent(link[1]);
    };

    it('refuses anyone but an admin, and an address or role that is not right', async () => {
      expect(await errorOf(ops.users.invite.mutate({ email: 'x@example.com', role: 'ops' }))).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(await errorOf(ops.users.invites.query())).toMatchObject({ code: 'FORBIDDEN' });
      expect(await errorOf(admin.users.invite.mutate({ email: 'not an email', role: 'ops' }))).toMatchObject({
        httpStatus: 400,
        fieldErrors: { email: ['Enter a valid email address'] },
      });
      expect(
        (await errorOf(admin.users.invite.mutate({ email: 'x@example.com', role: 'customer' as never }))).fieldErrors
          ?.role,
      ).toEqual(['Choose the role: ops, finance or admin']);
      const taken = await errorOf(admin.users.invite.mutate({ email: 'customer@example.com', role: 'ops' }));
      expect(taken.fieldErrors?.email?.[0]).toMatch(/already has a Handover account/);
    });

    it('emails a single-use link; the invitee chooses a password and is signed in with the role', async () => {
      const invite = await admin.users.invite.mutate({ email: 'New.Hire@Example.com', role: 'finance' });
      expect(invite).toMatchObject({ email: 'new.hire@example.com', role: 'finance', status: 'pending' });
      const token = await inviteLink('new.hire@example.com');

      const invitee = browser(base, ADMIN);
      expect(await errorOf(invitee.api.auth.acceptInvite.mutate({ token, password: 'short' }))).toMatchObject({
        httpStatus: 400,
        fieldErrors: { password: ['Use at least 10 characters'] },
      });
      const user = await invitee.api.auth.acceptInvite.mutate({ token, password: 'a long enough password' });
      expect(user).toMatchObject({ email: 'new.hire@example.com', role: 'finance' });
      expect(await invitee.api.auth.me.query()).toMatchObject({ role: 'finance' });
      await invitee.api.backOffice.customers.list.query({});

      const again = await errorOf(
        browser(base, ADMIN).api.auth.acceptInvite.mutate({ token, password: 'another password' }),
      );
      expect(again.message).toMatch(/invalid, has expired, was revoked or was already used/);
      expect((await admin.users.invites.query()).find((i) => i.id === invite.id)).toMatchObject({
        status: 'accepted',
        invitedByEmail: 'admin@example.com',
      });
      expect(await errorOf(admin.users.revokeInvite.mutate({ id: invite.id }))).toMatchObject({ code: 'CONFLICT' });
    });

    it('a revoked invite, one replaced by a newer one, and an expired one open nothing', async () => {
      await admin.users.invite.mutate({ email: 'revoked@example.com', role: 'ops' });
      const revokedToken = await inviteLink('revoked@example.com');
      const revoked = (await admin.users.invites.query()).find((i) => i.email === 'revoked@example.com');
      expect(await errorOf(ops.users.revokeInvite.mutate({ id: revoked?.id ?? '' }))).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(await admin.users.revokeInvite.mutate({ id: revoked?.id ?? '' })).toMatchObject({ status: 'revoked' });
      expect(
        await errorOf(
          browser(base, ADMIN).api.auth.acceptInvite.mutate({ token: revokedToken, password: 'long password 1' }),
        ),
      ).toMatchObject({ httpStatus: 400 });

      await admin.users.invite.mutate({ email: 'twice@example.com', role: 'ops' });
      const firstToken = await inviteLink('twice@example.com');
      clock.advance(1000);
      await admin.users.invite.mutate({ email: 'twice@example.com', role: 'admin' });
      expect(
        await errorOf(
          browser(base, ADMIN).api.auth.acceptInvite.mutate({ token: firstToken, password: 'long password 1' }),
        ),
      ).toMatchObject({ httpStatus: 400 });

      await admin.users.invite.mutate({ email: 'late@example.com', role: 'ops' });
      const lateToken = await inviteLink('late@example.com');
      clock.advance(73 * 60 * 60_000);
      expect(
        await errorOf(
          browser(base, ADMIN).api.auth.acceptInvite.mutate({ token: lateToken, password: 'long password 1' }),
        ),
      ).toMatchObject({ httpStatus: 400 });
      const em = db.orm.em.fork();
      expect(
        await em.count(User, { email: { $in: ['revoked@example.com', 'twice@example.com', 'late@example.com'] } }),
      ).toBe(0);
      expect(await em.count(StaffInvite, { email: 'twice@example.com', revokedAt: { $ne: null } })).toBe(1);
      const admin2 = (await signedIn(base, 'admin@example.com')).api;
      const statuses = Object.fromEntries((await admin2.users.invites.query()).map((i) => [i.email, i.status]));
      expect(statuses).toMatchObject({ 'revoked@example.com': 'revoked', 'late@example.com': 'expired' });
    });
  });
});
