import { creditWallet } from '@handover/core';
import { Order, OutboxMessage, User } from '@handover/db';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBundleProduct } from '../../worker/test/support/dataBundles';
import { until } from '../../worker/test/support/fixtures';
import { signUp } from './support/accounts';
import { seriousAccessibilityProblems } from './support/axe';
import { usePortalStack } from './support/portalStack';

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousAccessibilityProblems(page), `accessibility of ${where}`).toEqual([]);
}

/** Seed 002 on a phone: packages, a purchase from the wallet, delivery, and the texts that tell of it. */
describe('mobile data in the customer portal, on a phone', () => {
  const stack = usePortalStack();
  const em = () => stack.db.orm.em.fork();

  beforeAll(async () => {
    await createBundleProduct(em(), {
      slug: 'at-ishare-1gb',
      config: { network: 'AT-iShare', sizeGb: 1 },
      priceMinor: 600,
    });
    await createBundleProduct(em(), { slug: 'at-ishare-10gb', config: { network: 'AT-iShare', sizeGb: 10 } });
  });

  it('buys a package from the wallet for a checked number, follows it to delivered, and gets the texts', async () => {
    const page = await stack.visitor();
    await signUp(page, stack, 'esi@example.com');
    const user = await em().findOneOrFail(User, { email: 'esi@example.com' });
    await em().transactional((tem) =>
      creditWallet(tem, {
        userId: user.id,
        currency: 'GHS',
        amountMinor: 10_000,
        reason: 'top_up',
        reference: 'top_up:e2e',
      }),
    );

    // A package's card in the catalog leads to its buy form on the packages page.
    await page.goto(`${stack.base}/order/at-ishare-1gb`);
    await page.waitForURL(`${stack.base}/packages?package=at-ishare-1gb`);
    await page.getByRole('heading', { name: /^1GB of AT-iShare data for/ }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('navigation').getByRole('link', { name: 'Data' }).click();
    await page.getByRole('heading', { name: 'Mobile data' }).waitFor();
    await page.getByRole('heading', { name: 'AT-iShare' }).waitFor();
    await page.getByText('For AirtelTigo numbers starting 026, 027, 056 or 057.').waitFor();
    await expectAccessible(page, 'the packages page');

    await page.getByRole('button', { name: /^Buy 10GB of AT-iShare data for/ }).click();
    await page.getByRole('heading', { name: /^10GB of AT-iShare data for/ }).waitFor();
    await page.getByText(/^Wallet \(/).waitFor();
    // Another network's number is refused beside the field, before anything is sent.
    await page.getByLabel('Phone number').fill('024 123 4567');
    await page.getByRole('button', { name: /^Buy for/ }).click();
    await page
      .getByText(
        '024 123 4567 is not an AirtelTigo number: AT-iShare data goes to numbers starting 026, 027, 056 or 057',
      )
      .waitFor();
    await expectAccessible(page, 'the buy form with its error');
    expect(await em().count(Order, { email: 'esi@example.com' })).toBe(0);

    await page.getByLabel('Phone number').fill('027 123 4567');
    await page.getByRole('button', { name: /^Buy for/ }).click();
    await page.waitForURL(`${stack.base}/orders/**`);
    const order = await em().findOneOrFail(Order, { email: 'esi@example.com' });
    expect(order).toMatchObject({ amountMinor: 5000, currency: 'GHS', paymentGateway: 'wallet' });
    const heading = page.getByRole('heading', { name: new RegExp(`Order ${order.orderCode}`) });
    await heading.getByText('Delivered').waitFor();
    await page.getByText('10GB of AT-iShare').waitFor();
    const reference = (await page.locator('.details code').first().textContent()) ?? '';
    expect(reference).toMatch(/^ATI/);
    await page.getByRole('button', { name: 'Copy the reference' }).waitFor();
    await expectAccessible(page, 'the delivered order');

    // The texts, as the sandbox's SMS page shows them, and their delivery reports back in Handover.
    const delivered = `Your AT-iShare data has been delivered to 027 123 4567. Reference: ${reference}.`;
    await until(
      async () => {
        const texts = await em().find(OutboxMessage, { channel: 'sms', recipient: '+233271234567' });
        return texts.length === 2 && texts.every((t) => t.deliveryStatus === 'delivered') ? texts : null;
      },
      { what: 'both texts delivered' },
    );
    // The same browser (a new visitor would drop the customer's session).
    await page.goto(`${stack.sandboxUrl}/arkesel/`);
    await page.getByText(delivered).waitFor();
    await page
      .getByText(`Order ${order.orderCode}: 10GB AT-iShare data for 027 123 4567 is paid and on its way.`, {
        exact: false,
      })
      .waitFor();

    // The same package for the same number again: asked first, not bought twice.
    await page.goto(`${stack.base}/packages?package=at-ishare-10gb`);
    await page.getByLabel('Phone number').fill('0271234567');
    await page.getByRole('button', { name: /^Buy for/ }).click();
    await page.getByText(/^You bought 10GB of AT-iShare data for 027 123 4567 .*Buy it again\?$/).waitFor();
    await expectAccessible(page, 'the repeat question');
    await page.getByRole('button', { name: 'No, keep one' }).click();
    expect(await em().count(Order, { email: 'esi@example.com' })).toBe(1);

    // A reseller's customers: open a shop, and the number is listed with what it cost.
    await page.goto(`${stack.base}/customers`);
    await page.getByLabel(/^Shop name/).fill('Esi Data Hub');
    await page.getByRole('button', { name: 'Open shop' }).click();
    await page.getByRole('heading', { name: 'Esi Data Hub: your customers' }).waitFor();
    const row = page.getByRole('listitem').filter({ hasText: '027 123 4567' });
    await row.getByText('1 (1 delivered)').waitFor();
    await row.getByText(/50\.00/).waitFor();
    await expectAccessible(page, 'the customers page');
  });
});
