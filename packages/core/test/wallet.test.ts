import { FulfillmentRecord, Order, Payment, Refund, WalletAccount, WalletEntry } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { describe, expect, it } from 'vitest';
import {
  type CheckoutDeps,
  creditWallet,
  debitWallet,
  getWalletBalances,
  listWalletEntries,
  refundOrder,
  startCheckout,
  ValidationError,
} from '../src';
import { createCustomer, createProduct, paymentDeps } from './paymentFixtures';

describe('wallet (seed 002)', () => {
  const db = useTestDatabase({ poolMax: 12 });
  const em = () => db.orm.em.fork();
  const deps = (): CheckoutDeps => ({
    ...paymentDeps(db.orm.em),
    settings: { portalUrl: 'http://portal.test', pendingOrderTtlMs: 3_600_000 },
  });
  const topUp = (userId: string, amountMinor: number, reference: string, currency = 'GHS') =>
    em().transactional((tem) => creditWallet(tem, { userId, currency, amountMinor, reason: 'top_up', reference }));

  it('keeps a running balance per currency, and applies each reference once', async () => {
    const user = await createCustomer(em(), 'ledger@example.com');
    await topUp(user.id, 5000, 'top_up:a');
    const again = await topUp(user.id, 5000, 'top_up:a');
    await topUp(user.id, 700, 'top_up:b', 'USD');
    const debit = await em().transactional((tem) =>
      debitWallet(tem, { userId: user.id, currency: 'GHS', amountMinor: 1200, reason: 'purchase', reference: 'p:1' }),
    );

    expect(again.applied).toBe(false);
    expect(debit).toMatchObject({ applied: true, balanceAfterMinor: 3800 });
    expect(await getWalletBalances(em(), user.id)).toEqual([
      { currency: 'GHS', balanceMinor: 3800 },
      { currency: 'USD', balanceMinor: 700 },
    ]);
    const ledger = await listWalletEntries(em(), user.id, { limit: 10, offset: 0 });
    expect(ledger.map((entry) => [entry.currency, entry.amountMinor, entry.reason]).sort()).toEqual([
      ['GHS', -1200, 'purchase'],
      ['GHS', 5000, 'top_up'],
      ['USD', 700, 'top_up'],
    ]);
  });

  it('refuses a debit larger than the balance, changing nothing', async () => {
    const user = await createCustomer(em(), 'short@example.com');
    await topUp(user.id, 1000, 'top_up:short');
    const refused = await em()
      .transactional((tem) =>
        debitWallet(tem, { userId: user.id, currency: 'GHS', amountMinor: 1001, reason: 'purchase', reference: 'p:x' }),
      )
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as Error).message).toBe(
      'Your wallet holds 10.00 GHS; this costs 10.01 GHS. Top it up or choose another way to pay.',
    );
    expect(await em().count(WalletEntry, { account: { user: user.id } })).toBe(1);
  });

  it('lets the database refuse a negative balance even without the lock', async () => {
    const user = await createCustomer(em(), 'constraint@example.com');
    await topUp(user.id, 100, 'top_up:c');
    const error = await em()
      .execute(`update wallet_accounts set balance_minor = -1 where user_id = ?`, [user.id])
      .catch((e: unknown) => e);
    expect(String(error)).toMatch(/wallet_accounts_balance_minor_check/);
  });

  it('never overdraws under concurrent purchases: exactly as many orders as the balance pays for', async () => {
    const user = await createCustomer(em(), 'racer@example.com');
    const product = await createProduct(em(), { priceMinor: 300, currency: 'GHS', enabledPaymentGateways: ['wallet'] });
    await topUp(user.id, 1000, 'top_up:race');
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        startCheckout(
          deps(),
          {
            email: 'racer@example.com',
            phone: null,
            gateway: 'wallet',
            items: [{ productId: product.id, quantity: 1, input: { notes: 'bundle' } }],
          },
          { userId: user.id },
        ),
      ),
    );

    const won = attempts.filter((a) => a.status === 'fulfilled');
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(won).toHaveLength(3);
    expect(lost.every((a) => a.reason instanceof ValidationError)).toBe(true);
    expect(await em().findOneOrFail(WalletAccount, { user: user.id, currency: 'GHS' })).toMatchObject({
      balanceMinor: 100,
    });
    const orders = await em().find(Order, { user: user.id });
    expect(orders).toHaveLength(3);
    expect(orders.every((order) => order.paymentGateway === 'wallet' && order.status === 'paid')).toBe(true);
    expect(await em().count(Payment, { user: user.id, gateway: 'wallet', amountMinor: 300 })).toBe(3);
    expect(await em().count(FulfillmentRecord, { order: { $in: orders.map((o) => o.id) } })).toBe(3);
    const entries = await em().find(WalletEntry, { account: { user: user.id } });
    expect(entries.reduce((sum, entry) => sum + entry.amountMinor, 0)).toBe(100);
  });

  it('refunds a wallet purchase to the wallet and stops its delivery', async () => {
    const user = await createCustomer(em(), 'refund-me@example.com');
    const staff = await createCustomer(em(), 'finance@example.com');
    const product = await createProduct(em(), { priceMinor: 800, currency: 'GHS', enabledPaymentGateways: ['wallet'] });
    await topUp(user.id, 1000, 'top_up:refund');
    const started = await startCheckout(
      deps(),
      { email: user.email, phone: null, gateway: 'wallet', items: [{ productId: product.id, quantity: 1, input: {} }] },
      { userId: user.id },
    );
    const order = await em().findOneOrFail(Order, { orderCode: started.orderCode ?? '' });

    const refund = await refundOrder(
      deps(),
      { orderId: order.id, reason: 'customer changed their mind', toWallet: false },
      { type: 'user', id: staff.id },
    );
    expect(refund).toMatchObject({
      status: 'succeeded',
      destination: 'wallet',
      amountMinor: 800,
      cancelFulfillment: true,
    });
    expect(await em().findOneOrFail(Order, order.id)).toMatchObject({ status: 'refunded', refundedMinor: 800 });
    expect(await em().findOneOrFail(WalletAccount, { user: user.id, currency: 'GHS' })).toMatchObject({
      balanceMinor: 1000,
    });
    expect(await em().count(FulfillmentRecord, { order: order.id, status: 'cancelled' })).toBe(1);

    const nothingLeft = await refundOrder(
      deps(),
      { orderId: order.id, reason: 'again', toWallet: false },
      { type: 'user', id: staff.id },
    ).catch((e: unknown) => e);
    expect((nothingLeft as Error).message).toBe('Everything paid for this order is refunded or being refunded.');
    expect(await em().count(Refund, { order: order.id })).toBe(1);
  });
});
