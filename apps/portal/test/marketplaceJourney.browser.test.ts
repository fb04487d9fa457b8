import { readFile } from 'node:fs/promises';
import { ActivityLog, DownloadLog, LicenseActivation, Product, Subscription } from '@handover/db';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDedicatedProduct,
  createHybridProduct,
  createLicenseProduct,
  createPosProduct,
} from '../../worker/test/support/marketplace';
import { signUp } from './support/accounts';
import { seriousAccessibilityProblems } from './support/axe';
import { usePortalStack } from './support/portalStack';

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousAccessibilityProblems(page), `accessibility of ${where}`).toEqual([]);
}

/**
 * Seed 003 in the browser: each delivery model from the catalog through the sandbox gateway to
 * the customer's Products (and Subscriptions) page: a SaaS workspace, a dedicated instance, a
 * licence activated in the vendor's app with its download, a download-only product, and a
 * hybrid product's chosen path.
 */
describe('marketplace products in the portal', () => {
  const stack = usePortalStack();
  let n = 0;

  beforeAll(async () => {
    const em = stack.db.orm.em.fork();
    await createPosProduct(em, stack.sandboxUrl, { slug: 'point-of-sale', recurring: true });
    await createDedicatedProduct(em, { slug: 'dedicated-crm' });
    await createLicenseProduct(em, { slug: 'invoicing-desktop' });
    await createHybridProduct(em, { slug: 'analytics-suite' });
    em.create(Product, {
      slug: 'invoice-templates',
      name: 'Invoice templates pack',
      priceMinor: 1500,
      currency: 'USD',
      deliveryModel: 'self_hosted_download',
      fulfillmentDriver: 'download',
      fulfillmentConfig: { files: [{ key: 'templates/pack.txt', name: 'Templates 2026' }], max_downloads: 3 },
      enabledPaymentGateways: ['sandbox'],
      defaultPaymentGateway: 'sandbox',
    });
    await em.flush();
  });

  /** A new customer, signed up and signed in. */
  async function customer(): Promise<{ page: Page; email: string }> {
    const email = `buyer-${++n}@example.com`;
    const page = await stack.visitor();
    await signUp(page, stack, email);
    return { page, email };
  }

  /** From the catalog: fill the product's form, review, pay on the sandbox gateway, follow the order. */
  async function buy(page: Page, productName: string, fill: () => Promise<void>): Promise<void> {
    await page.goto(`${stack.base}/`);
    await page.getByRole('link', { name: `Order ${productName}` }).click();
    await page.getByRole('heading', { name: `Order ${productName}` }).waitFor();
    await fill();
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByRole('heading', { name: 'Check your order' }).waitFor();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(`${stack.sandboxUrl}/**`);
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(`${stack.base}/checkout/complete?**`);
    await page.getByRole('link', { name: 'Follow your order' }).click();
    await page.waitForURL(`${stack.base}/orders/**`);
  }

  const products = async (page: Page, tab: string) => {
    await page.getByRole('navigation').getByRole('link', { name: 'Products' }).click();
    await page.getByRole('heading', { name: 'My products' }).waitFor();
    await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
  };

  it('opens a point-of-sale workspace with the plan and options chosen, and cancels it at the period’s end', async () => {
    const { page } = await customer();
    // Nothing owned yet: no Products or Subscriptions in the menu.
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Products' }).count()).toBe(0);
    await buy(page, 'Point of Sale (cloud)', async () => {
      await page.getByRole('button', { name: 'Review order' }).click();
      await page.getByText('Enter business name').waitFor();
      await page.getByRole('radio', { name: /Growth/ }).check();
      await page.getByLabel('Business name').fill('Corner Café');
      await page.getByLabel('Locations').fill('60');
      await page.getByRole('button', { name: 'Review order' }).click();
      await page.getByText('Enter a whole number from 1 to 50').waitFor();
      await expectAccessible(page, 'the workspace form with its errors');
      await page.getByLabel('Locations').fill('3');
    });
    const open = page.getByRole('link', { name: 'Open your workspace' });
    await open.waitFor();
    expect(await open.getAttribute('href')).toMatch(/\/saas\/point-of-sale\/workspace\/tnt_/);
    await expectAccessible(page, 'the delivered workspace');

    await products(page, 'Workspaces');
    await page.getByRole('tabpanel').getByText('plan growth').waitFor();
    expect(await page.getByRole('tab').allInnerTexts()).toEqual(['Workspaces (1)']);
    await expectAccessible(page, 'the Products page');

    await page.getByRole('navigation').getByRole('link', { name: 'Subscriptions' }).click();
    const card = page.getByRole('listitem', { name: 'Point of Sale (cloud)' });
    await card.getByText('Active').waitFor();
    await card.getByText('$19.00 / month').waitFor();
    await card.getByRole('button', { name: 'Cancel subscription' }).click();
    await card.getByRole('button', { name: 'Cancel at the end of the period' }).click();
    await card.getByText('This subscription will not renew').waitFor();
    await expectAccessible(page, 'the Subscriptions page');
    const subscription = await stack.db.orm.em.fork().findOneOrFail(Subscription, { cancelAtPeriodEnd: true });
    expect(subscription.status).toBe('active');
  });

  it('provisions a dedicated instance and shows its admin password on request', async () => {
    const { page } = await customer();
    await buy(page, 'Dedicated CRM instance', async () => {
      await page.getByRole('radio', { name: 'United States (east)' }).check();
      await page.getByLabel('Instance name').fill('Orbit-CRM');
    });
    await page.getByRole('link', { name: 'Open your instance' }).waitFor({ timeout: 30_000 });
    await products(page, 'Installations');
    await page.getByRole('tabpanel').getByText('orbit-crm.instances.sandbox.test').waitFor();
    await page.getByRole('button', { name: /^Show password for / }).click();
    const password = (await page.getByRole('tabpanel').locator('dd code').nth(1).textContent()) ?? '';
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(await stack.db.orm.em.fork().count(ActivityLog, { action: 'dedicated_instance.password_revealed' })).toBe(1);
  });

  it('delivers a licence the vendor’s app activates, and its installer to download', async () => {
    const { page } = await customer();
    await buy(page, 'Invoicing for Desktop', async () => {
      await page.getByLabel('Licensed to').fill('Orbit Labs');
    });
    await page.getByText('Your licence key, its activations and the downloads are on your Products page.').waitFor();
    await products(page, 'Licences');
    await page.getByRole('button', { name: 'Show licence key for Invoicing for Desktop' }).click();
    const key = (await page.locator('code.key').textContent()) ?? '';
    expect(key).toMatch(/^HOL1\./);
    await page.getByText('Not activated on any machine yet').waitFor();

    // The vendor's app: the key checked offline, then this machine activated through Handover.
    // Another window of the same browser: the customer stays signed in to the portal.
    const app = await page.context().newPage();
    await app.goto(`${stack.sandboxUrl}/vendor-app/`);
    await app.getByLabel('Licence key').fill(key);
    await app.getByLabel('Name of this machine').fill('Front desk');
    await app.getByRole('button', { name: 'Activate', exact: true }).click();
    await app
      .getByText(
        /^Activated on Front desk\. Signature valid \(key invoicing\/licences\); licensed to Orbit Labs; 1 of 2 machines in use\.$/,
      )
      .waitFor();
    await app.getByLabel('Licence key').fill(`${key.slice(0, -4)}AAAA`);
    await app.getByRole('button', { name: 'Activate', exact: true }).click();
    await app.getByText('The licence key’s signature does not check out').waitFor();

    await page.reload();
    await page.getByRole('tab', { name: /^Licences/ }).click();
    await page.getByText('Machines: 1 of 2 in use').waitFor();
    await page.getByText('Front desk').first().waitFor();
    expect(await stack.db.orm.em.fork().count(LicenseActivation, { label: 'Front desk', status: 'active' })).toBe(1);

    await page.getByRole('tab', { name: /^Downloads/ }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Invoicing 2.4.0' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('setup.zip');
    expect(await readFile((await download.path()) ?? '', 'utf8')).toBe('installer bytes');
    expect(
      await stack.db.orm.em.fork().count(DownloadLog, { outcome: 'served', fileKey: 'invoicing/2.4.0/setup.zip' }),
    ).toBe(1);
    await expectAccessible(page, 'the downloads');
  });

  it('hands out a download-only product on the Products page', async () => {
    const { page } = await customer();
    await buy(page, 'Invoice templates pack', async () => {
      await page.getByRole('region', { name: 'What you download' }).getByText('Templates 2026').waitFor();
    });
    await page.getByText('Your download links are on your Products page.').waitFor();
    await products(page, 'Downloads');
    await page.getByText('0 of 3 downloads used').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Templates 2026' }).click(),
    ]);
    expect(await readFile((await download.path()) ?? '', 'utf8')).toBe('forty invoice templates');
  });

  it('lets the customer choose a hybrid product’s path, and delivers by it', async () => {
    const { page } = await customer();
    await buy(page, 'Analytics suite', async () => {
      await page.getByRole('button', { name: 'Review order' }).click();
      await page.getByText('Choose how you want it delivered').waitFor();
      await page.getByRole('radio', { name: /Run it yourself/ }).check();
      await page.getByLabel('Licensed to').fill('Orbit Labs');
    });
    await page.getByText('What you bought is on your Products page.').waitFor();
    // Only the chosen path's steps are on the order's timeline.
    const steps = await page
      .getByRole('list', { name: /^Steps for/ })
      .getByRole('listitem')
      .allInnerTexts();
    expect(steps.map((step) => step.split(' — ')[0])).toEqual(['Issuing your licence key', 'Preparing your downloads']);
    await products(page, 'Licences');
    await page.getByRole('tabpanel').getByText('licensed to Orbit Labs', { exact: false }).waitFor();
  });
});
