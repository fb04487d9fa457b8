import { randomBytes } from 'node:crypto';
import { BillingAccount, FulfillmentRecord, Order, OrderItem, Product, User } from '@handover/db';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackOfficeStack } from './support/backOffice';

describe('the Billing account panel on a billed order (seed 004): portal customer ↔ WHMCS client ↔ operator-system account', () => {
  const stack = useBackOfficeStack();
  const em = () => stack.db.orm.em.fork();
  let product: Product;

  /** A billed order waiting for review, as the payment webhook leaves it. */
  const billedOrder = async (email: string, mapping?: { clientId: string; operatorAccountId: string | null }) => {
    const e = em();
    const user = e.create(User, { email, name: 'Taro Yamada', customerNumber: 'CN-0042' });
    const order = e.create(Order, {
      orderCode: `HO-${randomBytes(4).toString('hex').toUpperCase()}`,
      user,
      email,
      status: 'pending_review',
      amountMinor: 4900,
      currency: 'USD',
    });
    const item = e.create(OrderItem, {
      order,
      product: e.getReference(Product, product.id),
      productName: product.name,
      driver: 'whmcs',
      unitPriceMinor: 4900,
      currency: 'USD',
      input: {},
    });
    e.create(FulfillmentRecord, {
      order,
      orderItem: item,
      product: e.getReference(Product, product.id),
      driver: 'whmcs',
      payloadSnapshot: {},
    });
    if (mapping) {
      e.create(BillingAccount, {
        user,
        system: 'WHMCS',
        externalClientId: mapping.clientId,
        customerNumber: 'CN-0042',
        operatorAccountId: mapping.operatorAccountId,
      });
    }
    await e.flush();
    return order;
  };
  const panelOf = async (page: Page, orderId: string) => {
    await page.goto(`${stack.base}/admin/#/orders/${orderId}/show`);
    await page.getByRole('heading', { name: 'Billing account' }).waitFor();
    return page;
  };

  beforeAll(async () => {
    const e = em();
    product = e.create(Product, {
      slug: 'fibre-billed',
      name: 'Fibre internet 1 Gbps',
      priceMinor: 4900,
      currency: 'USD',
      deliveryModel: 'billing_service',
      fulfillmentDriver: 'whmcs',
      fulfillmentConfig: { productId: 1, billingCycle: 'monthly', paymentMethod: 'stripe' },
      requiresReview: true,
    });
    await e.flush();
  });

  it('shows ops which WHMCS client and operator-system account the order’s customer maps to, and says when none exists yet', async () => {
    const mapped = await billedOrder('taro@example.com', { clientId: '42', operatorAccountId: '001Sb00000000001AA' });
    const page = await panelOf(await stack.signIn('ops'), mapped.id);
    const panel = page.getByTestId('billing-account');
    await panel.waitFor();
    // Each term beside its value, as ops read them.
    const pairs = await panel.evaluate((list) =>
      Array.from(list.querySelectorAll('dt'), (term) => [term.textContent, term.nextElementSibling?.textContent]),
    );
    expect(pairs).toEqual([
      ['Portal customer', 'taro@example.com'],
      ['WHMCS client', '#42'],
      ['Customer number', 'CN-0042'],
      ['Operator-system account', '001Sb00000000001AA'],
    ]);

    // Mapped to WHMCS, the operator-system account not found yet.
    const halfway = await billedOrder('hanako@example.com', { clientId: '43', operatorAccountId: null });
    await panelOf(page, halfway.id);
    await page.getByTestId('billing-account').getByText('#43').waitFor();
    await page.getByText('not known yet: found by the customer number').waitFor();

    // No WHMCS client yet: the panel says when one is made.
    const unmapped = await billedOrder('new@example.com');
    await panelOf(page, unmapped.id);
    await page.getByText("No billing account yet: it is made at the customer's first billed order.").waitFor();
    expect(await page.getByTestId('billing-account').count()).toBe(0);
  });
});
