import { approveOrderForProvisioning, startActivation } from '@handover/core';
import { Order, Product } from '@handover/db';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEsimTopUpProduct, type SandboxEsim } from '../../worker/test/support/esim';
import { until } from '../../worker/test/support/fixtures';
import { finishAccount } from './support/accounts';
import { seriousAccessibilityProblems } from './support/axe';
import { usePortalStack } from './support/portalStack';

const OPS = { type: 'api' as const, id: 'ops-in-test' };

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousAccessibilityProblems(page), `accessibility of ${where}`).toEqual([]);
}

describe('seed 004 in the portal: review, activation, eSIM and one home Internet per account', () => {
  const stack = usePortalStack();
  const em = () => stack.db.orm.em.fork();

  beforeAll(async () => {
    const e = em();
    e.create(Product, {
      slug: 'japan-esim',
      name: 'Japan eSIM 1 GB',
      description: 'A travel eSIM for Japan.',
      deliverySummary: 'A QR code to scan.',
      priceMinor: 1800,
      currency: 'USD',
      deliveryModel: 'billing_service',
      fulfillmentDriver: 'esim',
      fulfillmentConfig: { packageCode: 'JC016' },
      enabledPaymentGateways: ['sandbox'],
      defaultPaymentGateway: 'sandbox',
      requiresReview: true,
      activation: 'scheduled',
      activationDateByCustomer: true,
      serviceRules: { oneServicePerOrder: true, minimumAge: 18 },
    });
    e.create(Product, {
      slug: 'home-fibre',
      name: 'Home fibre',
      description: 'Broadband at your address, installed by our team.',
      deliverySummary: 'An installation visit.',
      priceMinor: 3900,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'installs', slaHours: 48, instructions: 'Install the line.' },
      enabledPaymentGateways: ['sandbox'],
      defaultPaymentGateway: 'sandbox',
      requiresReview: true,
      serviceRules: {
        serviceKind: 'home_internet',
        onePerAccount: true,
        oneServicePerOrder: true,
        billingAddressIsServiceAddress: true,
        requiredProfile: ['customerNumber'],
      },
    });
    await e.flush();
    await createEsimTopUpProduct(em(), 'japan-top-up');
  });

  const signUp = async (page: Page, email: string) => {
    await page.goto(`${stack.base}/sign-up`);
    await page.getByLabel(/^Email/).fill(email);
    await page.getByLabel('Confirm email').fill(`${email}.typo`);
    await page.getByRole('button', { name: 'Send me the link' }).click();
    await page.getByText('The two email addresses are not the same').waitFor();
    await page.getByLabel('Confirm email').fill(email);
    await page.getByRole('button', { name: 'Send me the link' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    // The password is chosen on the page the emailed link opens.
    await finishAccount(page, stack, email);
    await page.goto(`${stack.base}/`);
  };
  const pay = async (page: Page) => {
    await page.waitForURL(`${stack.sandboxUrl}/**`);
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(`${stack.base}/checkout/complete?**`);
  };
  const latestOrder = (email: string) =>
    until(() => em().findOne(Order, { email }, { orderBy: { createdAt: 'desc' } }), { what: `an order for ${email}` });
  const sandboxProfiles = async () => {
    const res = await fetch(`${stack.sandboxUrl}/_control/esimaccess/profiles`);
    return ((await res.json()) as { profiles: SandboxEsim[] }).profiles;
  };

  it('orders a reviewed eSIM with a date, sees "Awaiting review", then its approval, activation, QR code, reissue and top-up', async () => {
    const email = 'kenji@example.com';
    const page = await stack.visitor();
    await signUp(page, email);

    // The eSIM has an age limit: the form asks for the date of birth first.
    await page.getByRole('link', { name: 'Order Japan eSIM 1 GB' }).click();
    await page.getByText('add your date of birth to your account first').waitFor();
    await page.getByRole('link', { name: 'Complete your profile' }).click();
    await page.getByLabel('Date of birth').fill('1990-04-02');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('link', { name: 'Back to your order' }).click();

    await page.getByRole('heading', { name: 'Order Japan eSIM 1 GB' }).waitFor();
    await page.getByLabel('Name for this eSIM').fill("Kenji's phone");
    await page.getByLabel('Activation date').fill('2020-01-01');
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByText('Choose a moment in the future').waitFor();
    await page.getByLabel('Activation date').fill('2099-04-01');
    await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
    await page.getByText('Activated Wednesday 1 April 2099, 09:00 Asia/Tokyo (UTC+09:00).').waitFor();
    await expectAccessible(page, 'the eSIM order form');
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByRole('heading', { name: 'Check your order' }).waitFor();
    await page.getByText('Our team reviews this order before setting it up').waitFor();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await pay(page);
    await page.getByRole('link', { name: 'Follow your order' }).click();

    const order = await latestOrder(email);
    expect(order).toMatchObject({
      status: 'pending_review',
      activationType: 'scheduled',
      activationTimeZone: 'Asia/Tokyo',
      activationScheduledAt: new Date('2099-04-01T00:00:00Z'),
    });
    await page
      .getByRole('heading', { name: new RegExp(`Order ${order.orderCode}`) })
      .getByText('Awaiting review')
      .waitFor();
    await expectAccessible(page, 'an order awaiting review');

    // Ops approve keeping the customer's date, then press Activate now.
    await approveOrderForProvisioning(em(), order.id, OPS, { decidedBy: 'ops@handover.test' });
    await startActivation(em(), order.id, { by: 'operator', actor: OPS, now: new Date() });
    await page.getByText('Approved', { exact: true }).waitFor();
    await page
      .getByRole('region', { name: 'Review and activation' })
      .getByText('Activated')
      .waitFor({ timeout: 30_000 });

    await page.getByRole('button', { name: 'Show QR code' }).click();
    const qr = page.getByRole('img', { name: 'QR code to install your eSIM' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const [first] = await sandboxProfiles();
    const shownCode = await page.locator('.esim-code code').first().textContent();
    expect(shownCode).toBe(first?.ac);
    await expectAccessible(page, 'the eSIM with its QR code');

    await page.getByRole('button', { name: 'Reissue eSIM' }).click();
    await page.getByRole('button', { name: 'Yes, reissue it' }).click();
    await page.getByText('Reissued').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Show QR code' }).click();
    await qr.waitFor();
    const fresh = (await sandboxProfiles()).find((profile) => profile.iccid !== first?.iccid);
    expect(await page.locator('.esim-code code').first().textContent()).toBe(fresh?.ac);
    // The old QR code no longer works at eSIM Access.
    expect((await fetch(first?.qrCodeUrl ?? '')).status).toBe(410);

    // More data: the top-up is bought for this eSIM and applied.
    await page.getByRole('link', { name: /Japan eSIM top-up 1 GB/ }).click();
    await page.getByRole('heading', { name: 'Order Japan eSIM top-up 1 GB' }).waitFor();
    expect(await page.getByLabel('eSIM to top up').inputValue()).toBe(fresh?.iccid);
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await pay(page);
    await page.getByRole('link', { name: 'Follow your order' }).click();
    await page.getByText('2 GB').waitFor({ timeout: 30_000 });
  });

  it('captures the service address once, and answers a second home Internet with a link to manage the first', async () => {
    const email = 'ama@example.com';
    const page = await stack.visitor();
    await signUp(page, email);
    await page.goto(`${stack.base}/order/home-fibre`);
    await page.getByRole('link', { name: 'Complete your profile' }).click();
    await page.getByLabel('Customer number').fill('sf-2001');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('link', { name: 'Back to your order' }).click();
    await page.getByRole('group', { name: 'Service address' }).waitFor();
    // A second tab has the form open while the first order goes through.
    const other = await page.context().newPage();
    await other.goto(`${stack.base}/order/home-fibre`);
    await other.getByRole('group', { name: 'Service address' }).waitFor();

    await page.getByLabel('Street and number').fill('1 High Street');
    await page.getByLabel('Town or city').fill('London');
    await page.getByLabel('Postal code').fill('nope');
    await page.getByLabel('Country').fill('GB');
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByText('Enter a postal code such as SW1A 1AA').waitFor();
    await page.getByLabel('Postal code').fill('SW1A 1AA');
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByText('1 High Street, London SW1A 1AA, GB').waitFor();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await pay(page);
    const first = await latestOrder(email);

    await other.getByLabel('Street and number').fill('1 High Street');
    await other.getByLabel('Town or city').fill('London');
    await other.getByLabel('Postal code').fill('SW1A 1AA');
    await other.getByLabel('Country').fill('GB');
    await other.getByRole('button', { name: 'Review order' }).click();
    await other.getByRole('button', { name: 'Continue to payment' }).click();
    const refused = other.getByRole('alert');
    await refused.getByText(`You already have Home fibre (order ${first.orderCode})`).waitFor();
    await expectAccessible(other, 'the refusal of a second home Internet');
    await refused.getByRole('link', { name: 'Manage / Upgrade' }).click();
    await other.waitForURL(`${stack.base}/orders/${first.orderCode}`);

    await other.goto(`${stack.base}/`);
    await other.getByRole('link', { name: 'Manage or upgrade Home fibre' }).waitFor();
    expect(await other.getByRole('link', { name: 'Order Home fibre' }).count()).toBe(0);
  });
});
