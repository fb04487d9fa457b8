import { Product, Subscription } from '@handover/db';
import { describe, expect, it } from 'vitest';
import { createPosProduct, POS_SECRET } from '../../worker/test/support/marketplace';
import { eventually, useBackOfficeStack } from './support/backOffice';

/**
 * Seed 003 §7.3 in the back office: the key ring behind a product's `credentials_ref`, the
 * product form's live config check, "Test connection", "Test payment gateway connection" and
 * "Preview checkout options", and the subscriptions list with its filters.
 */
describe('marketplace products in the back office', () => {
  const stack = useBackOfficeStack();

  it('keeps a provider secret and a licence signing key in the key ring, showing only a hint and the public key', async () => {
    const page = await stack.signIn('admin');
    await page.getByRole('menuitem', { name: 'Key ring' }).click();
    await page.getByRole('link', { name: 'Add to the key ring' }).click();
    await page.getByLabel('Reference').fill('point-of-sale/hmac');
    await page.getByRole('textbox', { name: 'Secret' }).fill(POS_SECRET);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'point-of-sale/hmac' }).waitFor();
    await page.getByText(`…${POS_SECRET.slice(-4)}`).waitFor();
    expect(await page.getByText(POS_SECRET).count()).toBe(0);

    // A secret made here is shown once, to hand to the vendor.
    await page.getByRole('link', { name: 'Add to the key ring' }).click();
    await page.getByLabel('Reference').fill('acme-crm/hmac');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Give this secret to the provider now; it is not shown again').waitFor();
    expect(((await page.locator('pre').textContent()) ?? '').trim()).toMatch(/^[0-9a-f]{64}$/);

    await page.getByRole('button', { name: 'Add another' }).click();
    await page.getByLabel('Reference').fill('invoicing/licences');
    await page.getByRole('radio', { name: /Licence signing key/ }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('-----BEGIN PUBLIC KEY-----').first().waitFor();
    await page.close();
  });

  it('checks the config as it is typed, tests the provider and the gateway, and previews the checkout', async () => {
    const product = await createPosProduct(stack.db.orm.em.fork(), stack.sandbox.url, { slug: 'pos-admin' });
    const page = await stack.signIn('admin');
    await page.goto(`${stack.base}/admin/#/products/${product.id}`);
    const check = page.getByRole('status', { name: 'Configuration check' });
    await check.getByText('The saas-multitenant configuration is valid.').waitFor();

    const baseUrl = page.getByLabel('base url');
    await baseUrl.fill('not a url');
    await check.getByText('base_url: must be an http(s) URL').waitFor();
    await baseUrl.fill(`${stack.sandbox.url}/saas/point-of-sale`);
    await check.getByText('The saas-multitenant configuration is valid.').waitFor();

    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/it accepted our signature and answered a status call/).waitFor();
    await page.getByRole('button', { name: 'Test Sandbox connection' }).click();
    await page.getByText(/Sandbox: The sandbox gateway at .* accepted our secret\./).waitFor();

    await page.getByRole('button', { name: 'Preview checkout options' }).click();
    const preview = page
      .getByRole('region', { name: 'Checkout preview' })
      .or(page.locator('[aria-label="Checkout preview"]'));
    await preview.getByText('Point of Sale (cloud): $19.00').waitFor();
    expect(await preview.textContent()).toMatch(/Sandbox \(default\)/);
    expect(await preview.textContent()).toMatch(/Starter.*Growth/s);
    expect(await preview.textContent()).toMatch(/Business name \(text\)/);
    expect(await preview.textContent()).toMatch(/Locations \(number, optional\)/);
    const stored = await stack.db.orm.em.fork().findOneOrFail(Product, { id: product.id });
    expect(stored.fulfillmentConfig.base_url).toBe(`${stack.sandbox.url}/saas/point-of-sale`);
    await page.close();
  });

  it('lists subscriptions with their status and gateway, filtered', async () => {
    const em = stack.db.orm.em.fork();
    const product = em.create(Product, {
      slug: 'managed-monthly',
      name: 'Managed IT, monthly',
      priceMinor: 4900,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'ops', slaHours: 24, instructions: 'Look after the customer.' },
      enabledPaymentGateways: ['sandbox'],
      defaultPaymentGateway: 'sandbox',
      isRecurring: true,
      billingInterval: 'month',
    });
    await em.flush();
    const order = await stack.paidOrder(product.id, { notes: '' });
    await eventually(
      async () => (await stack.db.orm.em.fork().count(Subscription, { order: order.id })) === 1,
      'the subscription',
    );

    const page = await stack.signIn('ops');
    await page.getByRole('menuitem', { name: 'Subscriptions' }).click();
    await page.getByRole('cell', { name: order.orderCode }).waitFor();
    expect(await page.getByRole('row', { name: new RegExp(order.orderCode) }).textContent()).toMatch(
      /Managed IT, monthly.*active.*\$49\.00 \/ month.*sandbox/,
    );
    await page.goto(
      `${stack.base}/admin/#/subscriptions?filter=${encodeURIComponent(JSON.stringify({ status: 'past_due' }))}`,
    );
    await page.getByText('No Subscriptions found using the current filters.').waitFor();
    await page.close();
  });
});
