import { Product } from '@handover/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp } from './support/accounts';
import { seriousAccessibilityProblems } from './support/axe';
import { usePortalStack } from './support/portalStack';

describe('seed 004 billing in the portal: a payment method added on WHMCS through SSO opens the checkout', () => {
  const stack = usePortalStack();
  const em = () => stack.db.orm.em.fork();

  beforeAll(async () => {
    const e = em();
    e.create(Product, {
      slug: 'fibre-billed',
      name: 'Fibre internet',
      description: 'Home internet, billed monthly through your account.',
      deliverySummary: 'Activated once our team has reviewed the order.',
      priceMinor: 4900,
      currency: 'USD',
      deliveryModel: 'billing_service',
      fulfillmentDriver: 'whmcs',
      fulfillmentConfig: { productId: 1, billingCycle: 'monthly', paymentMethod: 'stripe' },
      enabledPaymentGateways: ['sandbox'],
      defaultPaymentGateway: 'sandbox',
      requiresReview: true,
    });
    await e.flush();
  });

  it('asks for a payment method, opens WHMCS signed in, and once a card is saved there takes the order to payment', async () => {
    const page = await stack.visitor();
    await signUp(page, stack, 'hanako@example.com');

    await page.getByRole('link', { name: 'Order Fibre internet' }).click();
    await page.getByText('add a payment method there first').waitFor();
    expect(await seriousAccessibilityProblems(page), 'accessibility of the payment-method gate').toEqual([]);

    const [whmcs] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Add a payment method' }).click(),
    ]);
    await whmcs.waitForURL(`${stack.sandboxUrl}/whmcs/index.php?rp=/account/paymentmethods**`);
    await whmcs.getByText('Signed in as').waitFor();
    await whmcs.getByText('No payment methods on file').waitFor();
    await whmcs.getByRole('button', { name: 'Save Changes' }).click();
    await whmcs.getByText('Payment method added').waitFor();
    await whmcs.close();

    await page.bringToFront();
    await page.getByRole('button', { name: 'I have added one: check again' }).click();
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByRole('heading', { name: 'Check your order' }).waitFor();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(`${stack.sandboxUrl}/**`);
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(`${stack.base}/checkout/complete?**`);

    await page.goto(`${stack.base}/billing`);
    await page.getByText('You have a payment method on file with WHMCS.').waitFor();
    await page.getByRole('heading', { name: 'Invoices' }).waitFor();
    expect(await seriousAccessibilityProblems(page), 'accessibility of the Billing page').toEqual([]);
  });
});
