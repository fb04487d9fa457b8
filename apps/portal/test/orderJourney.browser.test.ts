import { Order, OrderItem, Product } from '@handover/db';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { firstLoadJs, PORTAL_FIRST_LOAD_BUDGET_BYTES } from '../../../scripts/lib/firstLoadJs';
import { createManagedSetupProduct, stockPool } from '../../worker/test/support/fixtures';
import { createM365DomainProduct } from '../../worker/test/support/m365';
import { finishAccount, signUp } from './support/accounts';
import { seriousAccessibilityProblems } from './support/axe';
import { usePortalStack } from './support/portalStack';

const DOMAINS = ['brightbakery.com', 'brightbakery.org'];

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousAccessibilityProblems(page), `accessibility of ${where}`).toEqual([]);
}

/** The nameservers the order page hands out for `domain`, as shown beside their copy buttons. */
async function shownNameservers(page: Page, domain: string): Promise<string[]> {
  const panel = page.getByRole('region', { name: `Nameservers for ${domain}` });
  await panel.locator('code').first().waitFor();
  return panel.locator('code').allInnerTexts();
}

describe('the customer portal, on a phone', () => {
  const stack = usePortalStack();

  beforeAll(async () => {
    const em = stack.db.orm.em.fork();
    await stockPool(em, stack.worker.secrets, 'portal-pool', 4);
    await createM365DomainProduct(em, { slug: 'microsoft-365-domain', pool: 'portal-pool' });
    await createManagedSetupProduct(em);
  });

  it('signs up, orders two Microsoft 365 domains, pays on the gateway page, sets the nameservers and sees the order go Active', async () => {
    const page = await stack.visitor();
    await signUp(page, stack, 'ama@brightbakery.com', (where) => expectAccessible(page, where));
    await expectAccessible(page, 'the catalog');

    await page.getByRole('link', { name: 'Order Microsoft 365 email domain' }).click();
    await page.getByRole('heading', { name: 'Order Microsoft 365 email domain' }).waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe('ama@brightbakery.com');

    // Nothing filled in: the shared schema's messages appear beside the fields, before any request.
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByText('Enter your domain name').waitFor();
    await page.getByText('Enter a web address starting with http:// or https://').waitFor();
    await expectAccessible(page, 'the order form with its errors');

    await page.getByLabel('Phone').fill('+233 24 123 4567');
    await page.getByRole('button', { name: 'Add another domain' }).click();
    for (const [index, domain] of DOMAINS.entries()) {
      await page.getByLabel('Domain name').nth(index).fill(domain);
      await page.getByLabel('Forwarding URL').nth(index).fill(`https://${domain}/mail`);
      await page.getByLabel('Name 1').nth(index).fill('Ama Mensah');
    }
    await page.getByRole('button', { name: 'Review order' }).click();

    await page.getByRole('heading', { name: 'Check your order' }).waitFor();
    const summary = (await page.locator('.summary').textContent()) ?? '';
    for (const domain of DOMAINS) expect(summary).toContain(domain);
    expect(summary).toMatch(/\$98\.00/);
    await expectAccessible(page, 'the order summary');
    await page.getByRole('button', { name: 'Continue to payment' }).click();

    // The sandbox gateway's hosted page, then back to the portal's confirmation page.
    await page.waitForURL(`${stack.sandboxUrl}/**`);
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(`${stack.base}/checkout/complete?**`);
    await page.getByRole('link', { name: 'Follow your order' }).click();

    const order = await stack.db.orm.em.fork().findOneOrFail(Order, { email: 'ama@brightbakery.com' });
    expect(order).toMatchObject({ amountMinor: 9800, paymentGateway: 'sandbox' });
    await page.waitForURL(`${stack.base}/orders/${order.orderCode}`);
    await page.getByRole('heading', { name: new RegExp(`Order ${order.orderCode}`) }).waitFor();

    const nameservers: Record<string, string[]> = {};
    for (const domain of DOMAINS) nameservers[domain] = await shownNameservers(page, domain);
    for (const domain of DOMAINS) expect(nameservers[domain]?.length).toBeGreaterThanOrEqual(2);
    await page.getByText('Go to your domain registrar (GoDaddy, Namecheap, etc.).').first().waitFor();
    await page
      .getByText(/next check around/)
      .first()
      .waitFor();
    await expectAccessible(page, 'the order page');

    // What seed 000 asks of the customer: set the nameservers at the registrar.
    for (const domain of DOMAINS) {
      await page.goto(`${stack.sandboxUrl}/registrar/`);
      await page.locator('#new-domain').fill(domain);
      await page.locator('#new-nameservers').fill((nameservers[domain] ?? []).join('\n'));
      await page.getByRole('button', { name: 'Save nameservers' }).last().click();
      await page.getByRole('status').waitFor();
    }

    await page.goto(`${stack.base}/orders/${order.orderCode}`);
    await page.getByRole('button', { name: 'Check DNS now' }).click();
    for (const domain of DOMAINS) {
      await page.getByText(`DNS verified: ${domain} points to these nameservers.`).waitFor();
    }
    await page
      .getByRole('heading', { name: new RegExp(`Order ${order.orderCode}`) })
      .getByText('Active')
      .waitFor();
    expect(await stack.db.orm.em.fork().findOneOrFail(Order, { id: order.id })).toMatchObject({
      fulfillmentStatus: 'active',
      dnsStatus: 'verified',
    });

    // The order is in the dashboard; another customer cannot open its address.
    await page.getByRole('navigation').getByRole('link', { name: 'My orders' }).click();
    await page.getByText(order.orderCode).waitFor();
    await expectAccessible(page, 'my orders');
    await page
      .getByRole('navigation')
      .getByRole('link', { name: /^Notifications/ })
      .click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    await expectAccessible(page, 'the notifications');
    await page.getByRole('navigation').getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await expectAccessible(page, 'the account page');
    const stranger = await stack.visitor();
    await signUp(stranger, stack, 'kofi@example.com');
    await stranger.goto(`${stack.base}/orders/${order.orderCode}`);
    await stranger
      .getByRole('alert')
      .getByText(/No order with this id in your account/)
      .waitFor();
    expect(await stranger.getByRole('region', { name: `Nameservers for ${DOMAINS[0]}` }).count()).toBe(0);
  });

  it('shows a domain as it will be provisioned, punycode with its Unicode form, and warns of a look-alike', async () => {
    const page = await stack.visitor();
    await page.goto(`${stack.base}/order/microsoft-365-domain`);
    await page.getByLabel('Email').fill('idn@example.com');
    await page.getByLabel('Phone').fill('+1 415 555 0100');
    await page.getByRole('button', { name: 'Add another domain' }).click();
    // "Bücher.de", and "аpple.com" whose first letter is Cyrillic.
    for (const [index, domain] of ['Bücher.de', '\u0430pple.com'].entries()) {
      await page.getByLabel('Domain name').nth(index).fill(domain);
      await page.getByLabel('Forwarding URL').nth(index).fill('https://example.com');
      await page.getByLabel('Name 1').nth(index).fill('Ama');
    }
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByRole('heading', { name: 'Check your order' }).waitFor();
    const summary = (await page.locator('.summary').textContent()) ?? '';
    expect(summary).toContain('xn--bcher-kva.de (bücher.de)');
    expect(summary).toContain('xn--pple-43d.com (\u0430pple.com)');
    expect(summary).not.toContain('Bücher.de');
    const warnings = page.getByRole('note');
    expect(await warnings.count()).toBe(1);
    expect(await warnings.first().textContent()).toMatch(/mixes alphabets/);
    await expectAccessible(page, 'a summary with a look-alike domain');
  });

  it('tells a customer who cancels on the payment page that nothing was charged, and takes no order', async () => {
    const em = stack.db.orm.em.fork();
    const product = await em.findOneOrFail(Product, { slug: 'microsoft-365-domain' });
    const page = await stack.visitor();
    await page.goto(`${stack.base}/order/${product.slug}`);
    await page.getByLabel('Email').fill('guest@example.com');
    await page.getByLabel('Phone').fill('+1 415 555 0100');
    await page.getByLabel('Domain name').fill('guest-domain.com');
    await page.getByLabel('Forwarding URL').fill('https://example.com');
    await page.getByLabel('Name 1').fill('Guest');
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByText('The order goes to an account for this email').waitFor();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(`${stack.sandboxUrl}/**`);
    await page.getByRole('button', { name: /^Cancel/ }).click();
    await page.waitForURL(`${stack.base}/checkout/cancelled?**`);
    await page.getByText('Nothing was charged and nothing will be delivered.').waitFor();
    await expectAccessible(page, 'the cancelled checkout');
    expect(await stack.db.orm.em.fork().count(Order, { email: 'guest@example.com' })).toBe(0);
  });

  it("lets a guest order a managed product in quantity, pay, and reach the order's account only through their inbox", async () => {
    // Someone else signs up with the shop owner's address first: they are told to check an inbox
    // that is not theirs, and no password of theirs gets them in.
    const squatter = await stack.visitor();
    await squatter.goto(`${stack.base}/sign-up`);
    await squatter.getByLabel(/^Email/).fill('shop.owner@example.com');
    await squatter.getByLabel('Confirm email').fill('shop.owner@example.com');
    await squatter.getByRole('button', { name: 'Send me the link' }).click();
    await squatter.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await squatter.goto(`${stack.base}/sign-in`);
    await squatter.getByLabel('Email').fill('shop.owner@example.com');
    await squatter.getByLabel('Password').fill('the squatter password');
    await squatter.getByRole('button', { name: 'Sign in' }).click();
    await squatter.getByText(/Email or password is incorrect, or the email is not confirmed yet/).waitFor();

    const page = await stack.visitor();
    await page.goto(`${stack.base}/`);
    await page.getByRole('link', { name: 'Order Managed email setup' }).click();
    await page.getByRole('heading', { name: 'Order Managed email setup' }).waitFor();
    await page.getByLabel('Email').fill('Shop.Owner@Example.com');
    await page.getByLabel('What should we set up for you?').fill('Two mailboxes for the shop');
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Review order' }).click();
    const summary = (await page.locator('.summary').textContent()) ?? '';
    expect(summary).toContain('Two mailboxes for the shop');
    expect(summary).toMatch(/\$298\.00/);
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(`${stack.sandboxUrl}/**`);
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(`${stack.base}/checkout/complete?**`);
    await page.getByText('Your order is in the account for the email you gave.').waitFor();
    await expectAccessible(page, 'the confirmation page');
    const em = stack.db.orm.em.fork();
    const order = await em.findOneOrFail(Order, { email: 'shop.owner@example.com' });
    expect(order.amountMinor).toBe(29800);
    expect((await em.find(OrderItem, { order: order.id })).map((item) => item.input)).toEqual([
      { notes: 'Two mailboxes for the shop' },
      { notes: 'Two mailboxes for the shop' },
    ]);

    // The owner creates the account from the confirmation page, and the link in their inbox
    // (the newest one) finishes it: the order is there.
    await page.getByRole('link', { name: 'create your account with that email' }).click();
    await page.getByLabel(/^Email/).fill('shop.owner@example.com');
    await page.getByLabel('Confirm email').fill('shop.owner@example.com');
    await page.getByRole('button', { name: 'Send me the link' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await finishAccount(page, stack, 'shop.owner@example.com');
    await page.getByRole('navigation').getByRole('link', { name: 'My orders' }).click();
    await page.getByText(order.orderCode).waitFor();
  });

  it('has an accessibility check that does find a serious problem', async () => {
    const page = await stack.visitor();
    await page.setContent('<main><h1>Form</h1><input type="text"><img src="x.png"></main>');
    const problems = await seriousAccessibilityProblems(page);
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(expect.arrayContaining(['label', 'image-alt']));
  });

  it('loads at most 100 KB of gzipped JavaScript before the first page shows, whatever the drivers', () => {
    const report = firstLoadJs(inject('portalBuild'));
    expect(report.files.length).toBeGreaterThan(0);
    expect(PORTAL_FIRST_LOAD_BUDGET_BYTES).toBe(100 * 1024);
    expect(report.totalGzipBytes).toBeLessThan(PORTAL_FIRST_LOAD_BUDGET_BYTES);
    // No driver's views come with the first load: they are loaded by the pages that need them.
    const firstLoad = report.files.map((file) => file.path).join(' ');
    expect(firstLoad).not.toMatch(/m365-domain|manual/);
  });
});
