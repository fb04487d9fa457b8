import {
  hashPassword,
  hashToken,
  passwordCostFromLog2,
  SIGN_IN_REFUSED,
  SIGN_UP_SENT,
  systemClock,
} from '@handover/core';
import { OutboxMessage, Product, Session, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { manualAdapter } from '@handover/integrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, errorOf, PORTAL } from './harness';
import { type PaymentStack, startPaymentStack, until } from './paymentStack';

const VICTIM = 'ama@brightbakery.com';
const ATTACKER_PASSWORD = 'attacker chose this';

/**
 * The attack the issue describes: a stranger signs up with someone else's address before that
 * person orders as a guest, hoping the order lands in the stranger's account. It must not, and
 * nothing in the answers may tell the stranger whether the address was known.
 */
describe('an address is owned before its orders are', () => {
  const db = useTestDatabase({ poolMax: 8 });
  const em = () => db.orm.em.fork();
  let stack: PaymentStack;
  let productId: string;

  beforeAll(async () => {
    stack = await startPaymentStack({ orm: db.orm, databaseUrl: db.url, clock: systemClock, drivers: [manualAdapter] });
    const manager = em();
    const product = manager.create(Product, {
      slug: 'managed-setup',
      name: 'Managed setup',
      priceMinor: 14900,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'ops', slaHours: 24, instructions: 'Set it up.' },
      enabledPaymentGateways: ['sandbox'],
      defaultPaymentGateway: 'sandbox',
    });
    await manager.flush();
    productId = product.id;
  });
  afterAll(() => stack?.close());

  const mails = (recipient: string) => em().find(OutboxMessage, { recipient }, { orderBy: { createdAt: 'asc' } });
  const linkIn = (body: string) => new URL(/https?:\/\/\S+/.exec(body)?.[0] ?? 'x:');

  async function guestOrder(email: string): Promise<string> {
    const guest = browser(stack.base, PORTAL);
    const started = await guest.api.checkout.create.mutate({
      email,
      items: [{ productId, input: { notes: 'Set up mail for the bakery' } }],
      gateway: 'sandbox',
    });
    await stack.clickButton(started.redirectUrl, 'Pay');
    const status = await until(
      async () => {
        const s = await guest.api.checkout.status.query({ pendingOrderId: started.pendingOrderId });
        return s.status === 'paid' ? s : null;
      },
      { what: 'the guest order paid' },
    );
    return status.orderCode ?? '';
  }

  it("gives an attacker's sign-up with the victim's address no account, no session and no sight of the guest order", async () => {
    const attacker = browser(stack.base, PORTAL);
    // The attacker signs up first, with the victim's address, and gets the same answer as anyone.
    expect(await attacker.api.auth.signUp.mutate({ email: VICTIM })).toEqual({ message: SIGN_UP_SENT });
    expect(attacker.jar.size).toBe(0);

    // The victim orders as a guest; the order goes to the address's account.
    const orderCode = await guestOrder(VICTIM);
    const account = await em().findOneOrFail(User, { email: VICTIM });
    expect(account).toMatchObject({ passwordHash: null, emailVerifiedAt: null });

    // No password the attacker picks signs in, and signing up again only mails the victim.
    expect(
      await errorOf(attacker.api.auth.signIn.mutate({ email: VICTIM, password: ATTACKER_PASSWORD })),
    ).toMatchObject({
      code: 'UNAUTHORIZED',
      message: SIGN_IN_REFUSED,
    });
    expect(await attacker.api.auth.signUp.mutate({ email: VICTIM })).toEqual({ message: SIGN_UP_SENT });
    expect(await errorOf(attacker.api.orders.mine.query())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await errorOf(attacker.api.orders.byCode.query({ orderCode }))).toMatchObject({ code: 'UNAUTHORIZED' });
    // A made-up link is refused before anything else.
    expect(
      await errorOf(
        attacker.api.auth.verifyEmail.mutate({
          token: `${'A'.repeat(43)}.zzzzzz.${'B'.repeat(22)}`,
          password: ATTACKER_PASSWORD,
        }),
      ),
    ).toMatchObject({ code: 'BAD_REQUEST' });

    // The victim, from the link in their own mailbox, chooses their password and sees their order.
    const verify = (await mails(VICTIM)).filter((m) => m.template === 'verify_email');
    expect(verify).toHaveLength(2);
    const victim = browser(stack.base, PORTAL);
    const token = linkIn(verify[1]?.body ?? '').searchParams.get('token') ?? '';
    await victim.api.auth.verifyEmail.mutate({ token, password: 'the victim password', name: 'Ama' });
    expect((await victim.api.orders.mine.query()).map((o) => o.orderCode)).toEqual([orderCode]);
    // The other link (the one the attacker's sign-up sent) is spent with it.
    const first = linkIn(verify[0]?.body ?? '').searchParams.get('token') ?? '';
    expect(
      await errorOf(attacker.api.auth.verifyEmail.mutate({ token: first, password: ATTACKER_PASSWORD })),
    ).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('answers a sign-up for a taken address as for a new one, and emails its owner instead', async () => {
    const owner = browser(stack.base, PORTAL);
    await owner.api.auth.signUp.mutate({ email: 'kofi@example.com' });
    const [link] = await mails('kofi@example.com');
    await owner.api.auth.verifyEmail.mutate({
      token: linkIn(link?.body ?? '').searchParams.get('token') ?? '',
      password: 'kofi own password',
    });

    const post = (email: string) =>
      fetch(`${stack.base}/trpc/auth.signUp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: PORTAL },
        body: JSON.stringify({ json: { email } }),
      });
    const taken = await post('kofi@example.com');
    const fresh = await post('efua@example.com');
    expect(taken.status).toBe(fresh.status);
    expect(await taken.text()).toBe(await fresh.text());
    expect(taken.headers.getSetCookie()).toEqual(fresh.headers.getSetCookie());
    expect((await mails('kofi@example.com')).map((m) => m.template)).toEqual([
      'verify_email',
      'welcome',
      'account_exists',
    ]);
    const [exists] = (await mails('kofi@example.com')).slice(-1);
    expect(exists?.body).not.toMatch(/token=/);
  });

  it('keeps an account made before addresses were confirmed away from guest orders until its owner confirms', async () => {
    // An account an attacker opened under the old rules, with a password and a live session.
    const orderCode = await guestOrder('yaw@example.com');
    const manager = em();
    const squatted = await manager.findOneOrFail(User, { email: 'yaw@example.com' });
    squatted.passwordHash = await hashPassword(ATTACKER_PASSWORD, passwordCostFromLog2(10));
    const token = 'S'.repeat(43);
    manager.create(Session, {
      user: squatted,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    await manager.flush();

    const attacker = browser(stack.base, PORTAL);
    attacker.jar.set('handover_session', token);
    expect(await errorOf(attacker.api.orders.mine.query())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await errorOf(attacker.api.orders.byCode.query({ orderCode }))).toMatchObject({ code: 'UNAUTHORIZED' });
    // Its password is right, and still refused; the owner of the address gets a link instead.
    expect(
      await errorOf(
        browser(stack.base, PORTAL).api.auth.signIn.mutate({ email: 'yaw@example.com', password: ATTACKER_PASSWORD }),
      ),
    ).toMatchObject({
      code: 'UNAUTHORIZED',
      message: SIGN_IN_REFUSED,
    });
    const [link] = (await mails('yaw@example.com')).filter((m) => m.template === 'verify_email');
    const owner = browser(stack.base, PORTAL);
    await owner.api.auth.verifyEmail.mutate({
      token: linkIn(link?.body ?? '').searchParams.get('token') ?? '',
      password: 'yaw chose this one',
    });
    expect((await owner.api.orders.mine.query()).map((o) => o.orderCode)).toEqual([orderCode]);
    // Confirming chose a new password: the attacker's no longer works.
    expect(
      await errorOf(
        browser(stack.base, PORTAL).api.auth.signIn.mutate({ email: 'yaw@example.com', password: ATTACKER_PASSWORD }),
      ),
    ).toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});
