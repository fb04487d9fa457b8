import { Notification, Order, OutboxMessage } from '@handover/db';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browser, createUser, TEST_PASSWORD } from '../../server/test/harness';
import { stockPool, until } from '../../worker/test/support/fixtures';
import { createM365DomainProduct } from '../../worker/test/support/m365';
import { PASSWORD, signUp } from './support/accounts';
import { seriousAccessibilityProblems } from './support/axe';
import { SUPPORT_EMAIL, usePortalStack } from './support/portalStack';

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousAccessibilityProblems(page), `accessibility of ${where}`).toEqual([]);
}

/** What a new customer expects of their order, money and messages, walked as they would. */
describe('a new customer follows their money and their next step', () => {
  const stack = usePortalStack();

  beforeAll(async () => {
    const em = stack.db.orm.em.fork();
    await stockPool(em, stack.worker.secrets, 'new-customer-pool', 2);
    await createM365DomainProduct(em, { slug: 'microsoft-365-domain', pool: 'new-customer-pool' });
    await createUser(stack.db.orm, 'finance@handover.test', 'finance');
  });

  it('orders a domain, gets a receipt and an invoice, reads its step in its own words, is refunded, and sees it all', async () => {
    const page = await stack.visitor();
    await signUp(page, stack, 'efua@example.com');
    // A support contact on every page.
    await page.getByRole('contentinfo').getByRole('link', { name: SUPPORT_EMAIL }).waitFor();

    await page.getByRole('link', { name: 'Order Microsoft 365 email domain' }).click();
    await page.getByLabel('Phone').fill('+233 24 123 4567');
    await page.getByLabel('Domain name').fill('efua-bakes.com');
    await page.getByLabel('Forwarding URL').fill('https://efua-bakes.com/mail');
    await page.getByLabel('Name 1').fill('Efua Owusu');
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(`${stack.sandboxUrl}/**`);
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(`${stack.base}/checkout/complete?**`);
    await page.getByRole('link', { name: 'Follow your order' }).click();
    const em = () => stack.db.orm.em.fork();
    const order = await em().findOneOrFail(Order, { email: 'efua@example.com' });

    // The receipt is emailed as soon as the payment lands, with the order and the invoice.
    const receipt = await em().findOneOrFail(OutboxMessage, {
      template: 'payment_receipt',
      recipient: 'efua@example.com',
    });
    expect(receipt.subject).toBe(`Receipt for order ${order.orderCode}: 49.00 USD paid`);
    expect(receipt.body).toContain(`/orders/${order.orderCode}`);
    expect(receipt.body).toContain(`/invoices/${order.orderCode}.pdf`);

    // Delivered by us, but the customer still has their nameservers to set: the page says so.
    const heading = page.getByRole('heading', { name: new RegExp(`Order ${order.orderCode}`) });
    await heading.getByText('Your step: point your domain').waitFor({ timeout: 60_000 });
    expect(await heading.getByText('Delivered').count()).toBe(0);
    await page.getByText('Waiting for your nameservers').waitFor();
    // Steps and results in the customer's words, not the driver's names.
    await page.getByText('Setting up Microsoft 365 mail for your domain').waitFor();
    await page.getByText('Setup reference (quote it to our support)').waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    // (PlugSaaS's own nameserver host names are the customer's to copy: only our internal names must go.)
    expect(text).not.toMatch(/plugsaas ?order ?id|create ?plugsaas ?order/i);
    await page.getByText('Paid $49.00 with').waitFor();
    await expectAccessible(page, 'the order page waiting for DNS');

    // The invoice downloads as a PDF for its customer.
    const invoice = await page.request.get(`${stack.base}/invoices/${order.orderCode}.pdf`);
    expect(invoice.status()).toBe(200);
    expect(invoice.headers()['content-type']).toBe('application/pdf');
    expect((await invoice.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.getByRole('link', { name: 'Download the invoice (PDF)' }).waitFor();

    // Finance refunds the whole order; the page tells of the refund and its amount, and no longer of our team.
    const finance = browser(stack.base, stack.base);
    await finance.api.auth.signIn.mutate({ email: 'finance@handover.test', password: TEST_PASSWORD });
    await finance.api.payments.refund.mutate({ orderId: order.id, reason: 'Customer changed their mind' });
    await until(async () => (await em().findOneOrFail(Order, { id: order.id })).status === 'refunded', {
      what: 'the order refunded',
    });
    await page.reload();
    await heading.getByText('Refunded').waitFor();
    await page.getByText('Refund of $49.00 to the way you paid: refunded').waitFor();
    await page.getByText('Refunded so far: $49.00 of $49.00.').waitFor();
    expect((await page.locator('main').textContent()) ?? '').not.toMatch(/will contact you/);
    await expectAccessible(page, 'the refunded order page');

    // Every notification leads to its order; "Mark all as read" clears them.
    await page
      .getByRole('navigation')
      .getByRole('link', { name: /^Notifications/ })
      .click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    const notices = await em().find(Notification, { user: order.user?.id ?? '' });
    expect(notices.length).toBeGreaterThan(1);
    expect(await page.locator('.notifications li').count()).toBe(notices.length);
    expect(
      await page
        .locator('.notifications li')
        .getByRole('link', { name: `Order ${order.orderCode}` })
        .count(),
    ).toBe(notices.length);
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await page.getByText('All read.').waitFor();
    expect(await em().count(Notification, { user: order.user?.id ?? '', readAt: null })).toBe(0);
  });

  it('finds the wallet in the menu, tops it up on the gateway page, and sees the new balance', async () => {
    const page = await stack.visitor();
    await page.goto(`${stack.base}/sign-in`);
    await page.getByLabel('Email').fill('efua@example.com');
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Wallet' }).click();
    await page.getByRole('heading', { name: 'Wallet' }).waitFor();
    await page.getByText('Your wallet is empty.').waitFor();
    await expectAccessible(page, 'the empty wallet');
    await page.getByLabel(/^Amount/).fill('20.x');
    await page.getByLabel(/^Currency/).fill('USD');
    await page.getByRole('button', { name: /^Top up/ }).click();
    await page.getByText('Enter an amount in USD, like 20.00').waitFor();
    await page.getByLabel(/^Amount/).fill('20');
    await page.getByRole('button', { name: /^Top up/ }).click();
    await page.waitForURL(`${stack.sandboxUrl}/**`);
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(`${stack.base}/checkout/complete?**`);
    await page.getByText('$20.00 has been added to your wallet.').waitFor();
    await page.getByRole('link', { name: 'See your wallet' }).click();
    await page.getByText('Balance: $20.00').waitFor();
    await page.getByText(/^Added \$20\.00/).waitFor();
  });
});
