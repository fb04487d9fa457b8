import { LoginAttempt, OutboxMessage, PasswordResetToken, Session, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  changePassword,
  createOrPromoteAdmin,
  hashPassword,
  hashToken,
  RateLimitedError,
  requestPasswordReset,
  resetPassword,
  resolveSession,
  revokeUserSessions,
  SIGN_IN_REFUSED,
  signIn,
  signUp,
  ValidationError,
  VERIFY_LINK_INVALID,
  verifyEmail,
} from '../src';
import { accountContext, linkToken, manualClock, signUpConfirmed, testSettings } from './accountsFixtures';

const PASSWORD = 'correct horse battery';

describe('accounts', () => {
  const db = useTestDatabase();
  const em = () => db.orm.em.fork();

  it('answers a sign-up the same for a new address and a taken one, signing no one in and hashing nothing', async () => {
    const clock = manualClock();
    await signUpConfirmed(em, { email: 'taken@example.com', password: PASSWORD }, accountContext(clock));
    expect(await signUp(em(), { email: '  New@Example.com ' }, accountContext(clock))).toBeUndefined();
    expect(await signUp(em(), { email: 'TAKEN@example.com' }, accountContext(clock))).toBeUndefined();

    // The new address gets a link, and an account that cannot sign in and holds nothing it typed.
    const fresh = await em().findOneOrFail(User, { email: 'new@example.com' });
    expect(fresh).toMatchObject({ passwordHash: null, emailVerifiedAt: null, name: null, role: 'customer' });
    const [verify] = await em().find(OutboxMessage, { recipient: 'new@example.com' });
    expect(verify).toMatchObject({ template: 'verify_email', data: { sensitive: true } });
    expect(verify?.body).toMatch(/^Hello,\n/);
    expect(verify?.body).toContain('http://portal.test/verify-email?token=');
    // The owner of the taken address is told, and gets no second account.
    const told = await em().find(OutboxMessage, { recipient: 'taken@example.com' }, { orderBy: { createdAt: 'asc' } });
    expect(told.map((m) => m.template)).toEqual(['verify_email', 'welcome', 'account_exists']);
    expect(told[2]?.body).toContain('http://portal.test/forgot-password');
    expect(await em().count(User, { email: 'taken@example.com' })).toBe(1);
  });

  it('finishes the account from the link: password, name and phone chosen there, welcome email, signed in', async () => {
    const clock = manualClock();
    const session = await signUpConfirmed(
      em,
      { email: 'Ama@Example.com', password: PASSWORD, name: 'Ama Mensah', phone: '+233 24 123 4567' },
      accountContext(clock),
    );
    expect(session.user).toMatchObject({
      email: 'ama@example.com',
      name: 'Ama Mensah',
      phone: '+233241234567',
      role: 'customer',
    });
    const stored = await em().findOneOrFail(Session, session.sessionId);
    expect(stored.tokenHash).toBe(hashToken(session.token));
    const [welcome] = await em().find(OutboxMessage, { recipient: 'ama@example.com', template: 'welcome' });
    expect(welcome?.body).toContain('Hello Ama Mensah,');
    expect(welcome?.body).toContain('http://portal.test/orders');
    expect(welcome?.body).toContain('write to support@handover.test');
    expect(welcome?.body).not.toContain('reply to this email');
    expect(welcome?.data).toMatchObject({ cc: ['support@handover.test'] });
    const user = await em().findOneOrFail(User, { email: 'ama@example.com' });
    expect(user.passwordHash).toMatch(/^scrypt\$1024\$/);
    expect(user.emailVerifiedAt).toEqual(clock.now());
    await expect(
      signUpConfirmed(em, { email: 'short@example.com', password: 'short' }, accountContext(clock)),
    ).rejects.toThrow(/at least 10 characters/);
  });

  it('refuses a made-up, expired, reused or reset link; the last link chooses the password', async () => {
    const clock = manualClock();
    const ctx = accountContext(clock);
    await signUp(em(), { email: 'links@example.com' }, ctx);
    const stranger = await linkToken(em(), 'links@example.com', 'verify_email');
    await signUp(em(), { email: 'links@example.com' }, ctx);
    const owner = await linkToken(em(), 'links@example.com', 'verify_email');
    const forged = `${stranger.slice(0, -3)}AAA`;
    for (const token of [forged, 'x'.repeat(40)]) {
      await expect(verifyEmail(em(), { token, password: PASSWORD }, ctx)).rejects.toThrow(VERIFY_LINK_INVALID);
    }
    // A reset link is no verification link, and the other way round.
    await expect(resetPassword(em(), { token: owner, password: PASSWORD }, ctx)).rejects.toBeInstanceOf(
      ValidationError,
    );
    await verifyEmail(em(), { token: owner, password: 'the owner password' }, ctx);
    await expect(verifyEmail(em(), { token: owner, password: PASSWORD }, ctx)).rejects.toThrow(VERIFY_LINK_INVALID);
    await expect(verifyEmail(em(), { token: stranger, password: PASSWORD }, ctx)).rejects.toThrow(VERIFY_LINK_INVALID);
    await signIn(em(), { email: 'links@example.com', password: 'the owner password' }, ctx);

    await signUp(em(), { email: 'late-link@example.com' }, ctx);
    const late = await linkToken(em(), 'late-link@example.com', 'verify_email');
    clock.advance(testSettings.verifyTokenTtlMs + 1);
    await expect(verifyEmail(em(), { token: late, password: PASSWORD }, ctx)).rejects.toThrow(VERIFY_LINK_INVALID);
  });

  it('sends an address at most three sign-up emails an hour, answering alike, and refuses an IP past its limit', async () => {
    const clock = manualClock();
    for (let i = 0; i < 5; i++)
      await signUp(em(), { email: 'flooded@example.com' }, accountContext(clock, '198.51.100.9'));
    expect(await em().count(OutboxMessage, { recipient: 'flooded@example.com' })).toBe(3);
    for (let i = 5; i < 20; i++)
      await signUp(em(), { email: `s${i}@example.com` }, accountContext(clock, '198.51.100.9'));
    await expect(
      signUp(em(), { email: 'one-more@example.com' }, accountContext(clock, '198.51.100.9')),
    ).rejects.toThrow(/Too many requests from your network/);
    expect(await em().count(User, { email: 'one-more@example.com' })).toBe(0);
    clock.advance(60 * 60_000);
    await signUp(em(), { email: 'flooded@example.com' }, accountContext(clock, '198.51.100.9'));
    expect(await em().count(OutboxMessage, { recipient: 'flooded@example.com' })).toBe(4);
  });

  it('keeps an unconfirmed account signed out: a correct password gets the owner a link, and the usual refusal', async () => {
    const clock = manualClock();
    const ctx = accountContext(clock);
    const em1 = em();
    em1.create(User, {
      email: 'older@example.com',
      passwordHash: await hashPassword(PASSWORD, testSettings.passwordHashCost),
    });
    await em1.flush();
    await expect(signIn(em(), { email: 'older@example.com', password: PASSWORD }, ctx)).rejects.toThrow(
      new AuthenticationError(SIGN_IN_REFUSED),
    );
    const token = await linkToken(em(), 'older@example.com', 'verify_email');
    await expect(signIn(em(), { email: 'older@example.com', password: 'wrong password' }, ctx)).rejects.toThrow(
      new AuthenticationError(SIGN_IN_REFUSED),
    );
    expect(await em().count(OutboxMessage, { recipient: 'older@example.com' })).toBe(1);
    await verifyEmail(em(), { token, password: 'a password of my own' }, ctx);
    await signIn(em(), { email: 'older@example.com', password: 'a password of my own' }, ctx);
  });

  it('signs in with the right password and refuses a wrong one or an unknown email with the same message', async () => {
    const clock = manualClock();
    await signUpConfirmed(em, { email: 'kofi@example.com', password: PASSWORD }, accountContext(clock));
    const session = await signIn(em(), { email: 'KOFI@example.com', password: PASSWORD }, accountContext(clock));
    expect(session.user.email).toBe('kofi@example.com');
    expect(await resolveSession(em(), session.token, testSettings.sessionTtlMs, clock)).toMatchObject({
      sessionId: session.sessionId,
    });

    const wrongPassword = signIn(em(), { email: 'kofi@example.com', password: 'not it at all' }, accountContext(clock));
    const unknownEmail = signIn(em(), { email: 'nobody@example.com', password: PASSWORD }, accountContext(clock));
    await expect(wrongPassword).rejects.toThrow(new AuthenticationError(SIGN_IN_REFUSED));
    await expect(unknownEmail).rejects.toThrow(new AuthenticationError(SIGN_IN_REFUSED));
  });

  it('locks an email after five failures, answering alike whether or not it has an account, until the window passes', async () => {
    const clock = manualClock();
    await signUpConfirmed(em, { email: 'target@example.com', password: PASSWORD }, accountContext(clock));
    const messages: string[] = [];
    for (const email of ['target@example.com', 'ghost@example.com']) {
      for (let i = 0; i < 5; i++) {
        await expect(
          signIn(em(), { email, password: `guess number ${i}` }, accountContext(clock, `198.51.100.${i}`)),
        ).rejects.toBeInstanceOf(AuthenticationError);
      }
      const locked = await signIn(em(), { email, password: PASSWORD }, accountContext(clock)).catch((e: Error) => e);
      expect(locked).toBeInstanceOf(RateLimitedError);
      messages.push((locked as Error).message);
    }
    expect(messages[0]).toBe(messages[1]);
    expect(messages[0]).toMatch(/Too many failed sign-ins\. Try again in 15 minutes/);
    expect(await em().count(LoginAttempt, { email: 'ghost@example.com', outcome: 'failed' })).toBe(5);

    clock.advance(15 * 60_000 + 1);
    const session = await signIn(em(), { email: 'target@example.com', password: PASSWORD }, accountContext(clock));
    expect(session.user.email).toBe('target@example.com');
  });

  it('locks an IP that fails across many emails, even when it then signs in to an account of its own', async () => {
    const clock = manualClock();
    await signUpConfirmed(em, { email: 'own@example.com', password: PASSWORD }, accountContext(clock, '192.0.2.50'));
    const settings = { ...testSettings, loginThrottle: { ...testSettings.loginThrottle, maxFailuresPerIp: 4 } };
    const ctx = { settings, clock, origin: { ip: '192.0.2.50', userAgent: null } };
    for (let i = 0; i < 2; i++) {
      await expect(signIn(em(), { email: `spray${i}@example.com`, password: PASSWORD }, ctx)).rejects.toBeInstanceOf(
        AuthenticationError,
      );
    }
    await signIn(em(), { email: 'own@example.com', password: PASSWORD }, ctx);
    for (let i = 2; i < 4; i++) {
      await expect(signIn(em(), { email: `spray${i}@example.com`, password: PASSWORD }, ctx)).rejects.toBeInstanceOf(
        AuthenticationError,
      );
    }
    await expect(signIn(em(), { email: 'own@example.com', password: PASSWORD }, ctx)).rejects.toBeInstanceOf(
      RateLimitedError,
    );
    // Another IP is not affected.
    await signIn(
      em(),
      { email: 'own@example.com', password: PASSWORD },
      { ...ctx, origin: { ip: '192.0.2.51', userAgent: null } },
    );
  });

  it('emails a reset link whose token is stored only hashed, usable once, and signs every session out', async () => {
    const clock = manualClock();
    const first = await signUpConfirmed(em, { email: 'reset@example.com', password: PASSWORD }, accountContext(clock));
    await requestPasswordReset(em(), { email: 'reset@example.com' }, accountContext(clock));
    const [mail] = await em().find(OutboxMessage, { recipient: 'reset@example.com', template: 'password_reset' });
    const token = new URL(
      /http:\/\/portal\.test\/reset-password\?token=\S+/.exec(mail?.body ?? '')?.[0] ?? 'x:',
    ).searchParams.get('token');
    expect(token).toBeTruthy();
    const [stored] = await em().find(PasswordResetToken, { user: first.user.id });
    expect(stored?.tokenHash).toBe(hashToken(token ?? ''));

    await resetPassword(em(), { token: token ?? '', password: 'a brand new password' }, accountContext(clock));
    expect(await resolveSession(em(), first.token, testSettings.sessionTtlMs, clock)).toBeNull();
    await signIn(em(), { email: 'reset@example.com', password: 'a brand new password' }, accountContext(clock));

    await expect(
      resetPassword(em(), { token: token ?? '', password: 'another new password' }, accountContext(clock)),
    ).rejects.toThrow(/invalid, has expired or was already used/);
  });

  it('refuses an expired reset link, and answers an unknown email without sending anything', async () => {
    const clock = manualClock();
    await signUpConfirmed(em, { email: 'late@example.com', password: PASSWORD }, accountContext(clock));
    await requestPasswordReset(em(), { email: 'late@example.com' }, accountContext(clock));
    await requestPasswordReset(em(), { email: 'unknown-reset@example.com' }, accountContext(clock));
    expect(await em().count(OutboxMessage, { recipient: 'unknown-reset@example.com' })).toBe(0);
    const [mail] = await em().find(OutboxMessage, { recipient: 'late@example.com', template: 'password_reset' });
    const token = /token=(\S+)/.exec(mail?.body ?? '')?.[1] ?? '';
    clock.advance(testSettings.resetTokenTtlMs + 1);
    await expect(
      resetPassword(em(), { token, password: 'too late a password' }, accountContext(clock)),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('changes a password only with the current one, ending the other sessions but not this one', async () => {
    const clock = manualClock();
    const here = await signUpConfirmed(em, { email: 'change@example.com', password: PASSWORD }, accountContext(clock));
    const elsewhere = await signIn(em(), { email: 'change@example.com', password: PASSWORD }, accountContext(clock));
    const signedIn = { userId: here.user.id, sessionId: here.sessionId };
    await expect(
      changePassword(
        em(),
        signedIn,
        { currentPassword: 'wrong one', newPassword: 'a changed password' },
        { settings: testSettings, clock },
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    await changePassword(
      em(),
      signedIn,
      { currentPassword: PASSWORD, newPassword: 'a changed password' },
      { settings: testSettings, clock },
    );
    expect(await resolveSession(em(), here.token, testSettings.sessionTtlMs, clock)).not.toBeNull();
    expect(await resolveSession(em(), elsewhere.token, testSettings.sessionTtlMs, clock)).toBeNull();
  });

  it('ends sessions when revoked everywhere, and when they go unused past their lifetime', async () => {
    const clock = manualClock();
    const a = await signUpConfirmed(em, { email: 'everywhere@example.com', password: PASSWORD }, accountContext(clock));
    const b = await signIn(em(), { email: 'everywhere@example.com', password: PASSWORD }, accountContext(clock));
    expect(await revokeUserSessions(em(), a.user.id, clock)).toBe(2);
    expect(await resolveSession(em(), a.token, testSettings.sessionTtlMs, clock)).toBeNull();
    expect(await resolveSession(em(), b.token, testSettings.sessionTtlMs, clock)).toBeNull();

    const c = await signIn(em(), { email: 'everywhere@example.com', password: PASSWORD }, accountContext(clock));
    clock.advance(testSettings.sessionTtlMs - 60_000);
    expect(await resolveSession(em(), c.token, testSettings.sessionTtlMs, clock)).not.toBeNull();
    clock.advance(testSettings.sessionTtlMs - 60_000);
    expect(await resolveSession(em(), c.token, testSettings.sessionTtlMs, clock)).not.toBeNull();
    clock.advance(testSettings.sessionTtlMs + 1);
    expect(await resolveSession(em(), c.token, testSettings.sessionTtlMs, clock)).toBeNull();
  });

  it('creates the first admin, or promotes an existing user and replaces their password', async () => {
    const clock = manualClock();
    const created = await createOrPromoteAdmin(
      em(),
      { email: 'Root@Example.com', name: 'Root', password: 'an admin password' },
      testSettings.passwordHashCost,
      clock,
    );
    expect(created.created).toBe(true);
    const signedIn = await signIn(
      em(),
      { email: 'root@example.com', password: 'an admin password' },
      accountContext(clock),
    );
    expect(signedIn.user.role).toBe('admin');

    const customer = await signUpConfirmed(
      em,
      { email: 'promote@example.com', password: PASSWORD },
      accountContext(clock),
    );
    const promoted = await createOrPromoteAdmin(
      em(),
      { email: 'promote@example.com', password: 'the new admin password' },
      testSettings.passwordHashCost,
      clock,
    );
    expect(promoted).toEqual({ userId: customer.user.id, created: false });
    expect(await resolveSession(em(), customer.token, testSettings.sessionTtlMs, clock)).toBeNull();
    await expect(
      createOrPromoteAdmin(em(), { email: 'x@example.com', password: 'short' }, testSettings.passwordHashCost, clock),
    ).rejects.toThrow(/at least 10 characters/);
  });
});
