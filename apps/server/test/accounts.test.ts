import type { UserRole } from '@handover/contracts';
import { hashPassword, passwordCostFromLog2, SecretBox, SIGN_IN_REFUSED } from '@handover/core';
import {
  ActivityLog,
  InventoryItem,
  InventoryPool,
  Order,
  OrderItem,
  OutboxMessage,
  Product,
  User,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, errorOf, manualClock, startServer } from './harness';

const PASSWORD = 'correct horse battery';

describe('accounts over HTTP', () => {
  const db = useTestDatabase();
  const clock = manualClock();
  let app: FastifyInstance;
  let base: string;
  let box: SecretBox;

  async function createUser(email: string, role: UserRole): Promise<string> {
    const em = db.orm.em.fork();
    const user = em.create(User, {
      email,
      role,
      passwordHash: await hashPassword(PASSWORD, passwordCostFromLog2(10)),
      emailVerifiedAt: new Date(),
    });
    await em.flush();
    return user.id;
  }

  async function signedIn(email: string) {
    const b = browser(base);
    await b.api.auth.signIn.mutate({ email, password: PASSWORD });
    return b;
  }

  async function orderFor(userId: string, email: string): Promise<string> {
    const em = db.orm.em.fork();
    const product =
      (await em.findOne(Product, { slug: 'accounts-fixture' })) ??
      em.create(Product, {
        slug: 'accounts-fixture',
        name: 'Fixture',
        priceMinor: 100,
        currency: 'USD',
        deliveryModel: 'managed_setup',
        fulfillmentDriver: 'manual',
      });
    const order = em.create(Order, {
      orderCode: `HO-${email.slice(0, 6).toUpperCase()}${Math.floor(Math.random() * 1e6)}`,
      user: em.getReference(User, userId),
      email,
      amountMinor: 100,
      currency: 'USD',
    });
    em.create(OrderItem, {
      order,
      product,
      productName: 'Fixture',
      driver: 'manual',
      unitPriceMinor: 100,
      currency: 'USD',
      input: { note: 'hi' },
    });
    await em.flush();
    return order.id;
  }

  beforeAll(async () => {
    const started = await startServer({ orm: db.orm, databaseUrl: db.url, clock });
    app = started.app;
    base = started.base;
    box = new SecretBox(started.config.HANDOVER_ENCRYPTION_KEYS);
  });
  afterAll(() => app?.close());

  it('signs up without a session, then the emailed link signs in with an httpOnly SameSite=Lax cookie', async () => {
    const post = (path: string, json: unknown) =>
      fetch(`${base}/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://portal.test:5173' },
        body: JSON.stringify({ json }),
      });
    const response = await post('auth.signUp', { email: 'new@example.com' });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([]);
    const [mail] = await db.orm.em
      .fork()
      .find(OutboxMessage, { recipient: 'new@example.com', template: 'verify_email' });
    const token = new URL(
      /http:\/\/portal\.test:5173\/verify-email\?token=\S+/.exec(mail?.body ?? '')?.[0] ?? 'x:',
    ).searchParams.get('token');

    const verified = await post('auth.verifyEmail', { token, password: PASSWORD, name: 'New Person' });
    expect(verified.status).toBe(200);
    const [cookie = ''] = verified.headers.getSetCookie();
    expect(cookie).toMatch(/^handover_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');

    const b = browser(base);
    b.jar.set('handover_session', cookie.split(';')[0]?.split('=')[1] ?? '');
    expect(await b.api.auth.me.query()).toMatchObject({
      email: 'new@example.com',
      name: 'New Person',
      role: 'customer',
    });
    expect(await db.orm.em.fork().count(OutboxMessage, { recipient: 'new@example.com', template: 'welcome' })).toBe(1);
  });

  it('ignores a role sent with the sign-up form: everyone signs up as a customer', async () => {
    const b = browser(base);
    const body = { email: 'sneaky@example.com', password: PASSWORD, role: 'admin' } as { email: string };
    await b.api.auth.signUp.mutate(body);
    expect(await db.orm.em.fork().findOneOrFail(User, { email: 'sneaky@example.com' })).toMatchObject({
      role: 'customer',
      passwordHash: null,
    });
  });

  it('signs out: the cookie is cleared and the old token no longer works even if replayed', async () => {
    await createUser('leaver@example.com', 'customer');
    const b = await signedIn('leaver@example.com');
    const token = b.jar.get('handover_session') ?? '';
    await b.api.auth.signOut.mutate();
    expect(b.jar.has('handover_session')).toBe(false);
    const replay = browser(base);
    replay.jar.set('handover_session', token);
    expect(await errorOf(replay.api.auth.me.query())).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
  });

  it('signs out everywhere: every other browser of the user loses its session', async () => {
    await createUser('many@example.com', 'customer');
    const laptop = await signedIn('many@example.com');
    const phone = await signedIn('many@example.com');
    expect(await laptop.api.auth.signOutEverywhere.mutate()).toEqual({ sessionsEnded: 2 });
    expect(await errorOf(phone.api.auth.me.query())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await errorOf(laptop.api.auth.me.query())).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses brute force: five wrong passwords lock the email with a 429 that reads the same for unknown emails', async () => {
    await createUser('victim@example.com', 'customer');
    const attacker = browser(base);
    const wrong = await errorOf(
      attacker.api.auth.signIn.mutate({ email: 'victim@example.com', password: 'guess-0000' }),
    );
    const unknown = await errorOf(
      attacker.api.auth.signIn.mutate({ email: 'nobody@example.com', password: 'guess-0000' }),
    );
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401, message: SIGN_IN_REFUSED });
    expect(unknown).toEqual(wrong);
    for (let i = 1; i < 5; i++) {
      await errorOf(attacker.api.auth.signIn.mutate({ email: 'victim@example.com', password: `guess-${i}000` }));
      await errorOf(attacker.api.auth.signIn.mutate({ email: 'nobody@example.com', password: `guess-${i}000` }));
    }
    const locked = await errorOf(attacker.api.auth.signIn.mutate({ email: 'victim@example.com', password: PASSWORD }));
    const lockedUnknown = await errorOf(
      attacker.api.auth.signIn.mutate({ email: 'nobody@example.com', password: PASSWORD }),
    );
    expect(locked).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429 });
    expect(lockedUnknown).toEqual(locked);

    clock.advance(16 * 60_000);
    expect((await attacker.api.auth.signIn.mutate({ email: 'victim@example.com', password: PASSWORD })).email).toBe(
      'victim@example.com',
    );
  });

  it("lets a customer read only their own orders: another customer's id is not found", async () => {
    const aliceId = await createUser('alice@example.com', 'customer');
    const bobId = await createUser('bob@example.com', 'customer');
    const aliceOrder = await orderFor(aliceId, 'alice@example.com');
    const bobOrder = await orderFor(bobId, 'bob@example.com');
    const alice = await signedIn('alice@example.com');

    expect((await alice.api.orders.mine.query()).map((order) => order.id)).toEqual([aliceOrder]);
    expect((await alice.api.orders.byId.query({ id: aliceOrder })).id).toBe(aliceOrder);
    expect(await errorOf(alice.api.orders.byId.query({ id: bobOrder }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await errorOf(browser(base).api.orders.mine.query())).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('keeps inventory secrets from customers, finance and ops; an admin can reveal one, and the reveal is logged', async () => {
    const em = db.orm.em.fork();
    const pool = em.create(InventoryPool, { slug: 'secret-pool', name: 'Secret pool' });
    const item = em.create(InventoryItem, {
      pool,
      email: 'stock@outlook.test',
      secretEncrypted: box.encrypt('S3cret!'),
    });
    await em.flush();
    const adminId = await createUser('keyholder@example.com', 'admin');
    await createUser('ops@example.com', 'ops');
    await createUser('finance@example.com', 'finance');
    await createUser('customer-x@example.com', 'customer');

    for (const email of ['ops@example.com', 'finance@example.com', 'customer-x@example.com']) {
      const b = await signedIn(email);
      expect(await errorOf(b.api.backOffice.inventory.revealSecret.mutate({ itemId: item.id }))).toMatchObject({
        code: 'FORBIDDEN',
        httpStatus: 403,
      });
    }
    const admin = await signedIn('keyholder@example.com');
    expect(await admin.api.backOffice.inventory.revealSecret.mutate({ itemId: item.id })).toEqual({
      itemId: item.id,
      email: 'stock@outlook.test',
      password: 'S3cret!',
    });
    expect(
      await db.orm.em
        .fork()
        .count(ActivityLog, { action: 'inventory.secret_revealed', actorId: adminId, subjectId: item.id }),
    ).toBe(1);
  });

  it('lets only admins manage roles; no one changes their own, and a new role applies at once', async () => {
    await createUser('boss@example.com', 'admin');
    const opsId = await createUser('ops2@example.com', 'ops');
    const climberId = await createUser('climber@example.com', 'customer');
    const climber = await signedIn('climber@example.com');
    const ops = await signedIn('ops2@example.com');
    const boss = await signedIn('boss@example.com');

    expect(await errorOf(climber.api.users.setRole.mutate({ userId: climberId, role: 'admin' }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await errorOf(ops.api.users.setRole.mutate({ userId: opsId, role: 'admin' }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    const me = await boss.api.auth.me.query();
    expect(await errorOf(boss.api.users.setRole.mutate({ userId: me.id, role: 'ops' }))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'You cannot change your own role; ask another admin.',
    });

    expect(await boss.api.users.setRole.mutate({ userId: climberId, role: 'ops' })).toMatchObject({ role: 'ops' });
    expect(await climber.api.auth.me.query()).toMatchObject({ role: 'ops' });
    const listed = await boss.api.users.list.query({ search: 'climber' });
    expect(listed.users.map((u) => [u.email, u.role])).toEqual([['climber@example.com', 'ops']]);
    expect(JSON.stringify(listed)).not.toContain('scrypt$');
  });

  it('resets a password from the emailed link once; the same link is refused the second time', async () => {
    await createUser('forgetful@example.com', 'customer');
    const before = await signedIn('forgetful@example.com');
    const anon = browser(base);
    const answer = await anon.api.auth.requestPasswordReset.mutate({ email: 'forgetful@example.com' });
    const unknownAnswer = await anon.api.auth.requestPasswordReset.mutate({ email: 'never-signed-up@example.com' });
    expect(unknownAnswer).toEqual(answer);

    const [mail] = await db.orm.em
      .fork()
      .find(OutboxMessage, { recipient: 'forgetful@example.com', template: 'password_reset' });
    const link = new URL(
      /http:\/\/portal\.test:5173\/reset-password\?token=\S+/.exec(mail?.body ?? '')?.[0] ?? 'about:blank',
    );
    const token = link.searchParams.get('token') ?? '';
    await anon.api.auth.resetPassword.mutate({ token, password: 'my new password!' });
    expect(await errorOf(before.api.auth.me.query())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await errorOf(anon.api.auth.resetPassword.mutate({ token, password: 'yet another one!' }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'This reset link is invalid, has expired or was already used. Ask for a new one.',
    });
    await anon.api.auth.signIn.mutate({ email: 'forgetful@example.com', password: 'my new password!' });
  });

  it('updates the profile and changes the password, with field errors for the form', async () => {
    await createUser('profile@example.com', 'customer');
    const b = await signedIn('profile@example.com');
    expect(await b.api.auth.updateProfile.mutate({ name: 'Efua', phone: '024 123 4567' })).toMatchObject({
      name: 'Efua',
      phone: '0241234567',
    });
    const bad = await b.api.auth.updateProfile.mutate({ phone: 'call me' }).catch((e: unknown) => e);
    expect((bad as { data: { fieldErrors: Record<string, string[]> } }).data.fieldErrors.phone?.[0]).toMatch(
      /phone number/,
    );
    const wrong = await b.api.auth.changePassword
      .mutate({ currentPassword: 'not my password', newPassword: 'a long new password' })
      .catch((e: unknown) => e);
    expect((wrong as { data: { fieldErrors: Record<string, string[]> } }).data.fieldErrors).toEqual({
      currentPassword: ['The current password is not right.'],
    });
    await b.api.auth.changePassword.mutate({ currentPassword: PASSWORD, newPassword: 'a long new password' });
    expect(await b.api.auth.me.query()).toMatchObject({ email: 'profile@example.com' });
  });
});
