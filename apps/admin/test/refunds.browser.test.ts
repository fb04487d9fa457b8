import { Order, type Product, Refund } from '@handover/db';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createManagedSetupProduct, createTestkitProduct, placeOrder } from '../../worker/test/support/fixtures';
import { eventually, STAFF, useBackOfficeStack } from './support/backOffice';

/** A table's body rows as text, one string per row. */
const rowsOf = (page: Page, table: string) =>
  page.getByRole('table', { name: table }).locator('tbody tr').allInnerTexts();

describe('payments and refunds on the order page', () => {
  const stack = useBackOfficeStack();
  let product: Product;

  beforeAll(async () => {
    product = await createManagedSetupProduct(stack.db.orm.em.fork());
  });

  it('lets finance refund part of a paid order, then lists the refund and what is left', async () => {
    const order = await stack.paidOrder(product.id);
    const page = await stack.signIn('finance');
    await page.goto(`${stack.base}/admin/#/orders/${order.id}/show`);

    await eventually(async () => (await rowsOf(page, 'Payments')).length === 1, 'the payment listed');
    const [payment = ''] = await rowsOf(page, 'Payments');
    expect(payment).toContain('sandbox');
    expect(payment).toMatch(/149\.00[\s\S]*0\.00[\s\S]*149\.00/);
    expect(await page.getByText('Nothing refunded.').count()).toBe(1);

    await page.getByRole('button', { name: 'Refund sandbox payment' }).click();
    const dialog = page.getByRole('dialog');
    const amount = dialog.getByLabel('Amount (USD)');
    expect(await amount.inputValue()).toBe('149.00');

    // Checked in the browser with the server's schema before anything is sent.
    await amount.fill('149.01');
    await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
    await dialog.getByText(/^At most .*149\.00 can be refunded from this payment\.$/).waitFor();
    await dialog.getByText('say why, for the customer and the books').waitFor();
    expect(await stack.db.orm.em.fork().count(Refund, { order: order.id })).toBe(0);

    await amount.fill('49.00');
    await dialog.getByLabel('Reason').fill('one mailbox was not needed');
    expect(await dialog.getByLabel(/^Cancel the fulfillment/).isChecked()).toBe(false);
    await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
    await dialog.getByText(/^Refund .*49\.00 through sandbox\?/).waitFor();
    await dialog.getByRole('button', { name: 'Confirm refund' }).click();

    await page.getByText(/^Refunded .*49\.00 to sandbox$/).waitFor();
    await eventually(async () => (await rowsOf(page, 'Refunds')).length === 1, 'the refund listed');
    const [refund = ''] = await rowsOf(page, 'Refunds');
    expect(refund).toContain('succeeded');
    expect(refund).toContain('49.00');
    expect(refund).toContain('one mailbox was not needed');
    expect(refund).toContain(STAFF.finance);
    expect(refund).toMatch(/sbr_/);
    await eventually(
      async () => /refundable .*100\.00/.test((await page.getByTestId('order-money').textContent()) ?? ''),
      'the refundable amount down to 100.00',
    );
    const [after = ''] = await rowsOf(page, 'Payments');
    expect(after).toContain('partially refunded');
    expect(after).toMatch(/149\.00[\s\S]*49\.00[\s\S]*100\.00/);

    const em = stack.db.orm.em.fork();
    expect(await em.findOneOrFail(Order, order.id)).toMatchObject({
      status: 'partially_refunded',
      refundedMinor: 4900,
    });
    expect(await em.find(Refund, { order: order.id })).toEqual([
      expect.objectContaining({ amountMinor: 4900, destination: 'gateway', cancelFulfillment: false }),
    ]);
    await page.close();
  });

  it('shows ops the payments but no refund, and a test order as one that took no money', async () => {
    const order = await stack.paidOrder(product.id);
    const ops = await stack.signIn('ops');
    await ops.goto(`${stack.base}/admin/#/orders/${order.id}/show`);
    await eventually(async () => (await rowsOf(ops, 'Payments')).length === 1, 'the payment listed for ops');
    expect((await rowsOf(ops, 'Payments'))[0]).toContain('149.00');
    expect(await ops.getByRole('button', { name: /refund/i }).count()).toBe(0);
    await ops.close();

    const testkit = await createTestkitProduct(stack.db.orm.em.fork(), { slug: 'trial' });
    const { order: trial } = await placeOrder(
      stack.db.orm.em.fork(),
      stack.worker.registry,
      testkit,
      [{ label: 'trial.example' }],
      {
        isTest: true,
      },
    );
    const finance = await stack.signIn('finance');
    await finance.goto(`${stack.base}/admin/#/orders/${trial.id}/show`);
    await finance.getByText('Test order: nothing was charged').waitFor();
    expect(await finance.getByRole('table', { name: 'Payments' }).count()).toBe(0);
    expect(await finance.getByRole('button', { name: /refund/i }).count()).toBe(0);
    await finance.close();
  });
});
