import { Product, User } from '@handover/db';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp } from './support/accounts';
import { seriousAccessibilityProblems } from './support/axe';
import { usePortalStack } from './support/portalStack';

interface OperatorOrder {
  Id: string;
  Status: string;
  AccountId: string;
  Handover_Order_Id__c: string | null;
  WHMCS_Order_ID__c?: string | null;
}

describe('seed 004 with the operator system: the catalog by account eligibility, the Order made at checkout, Provision pressed there, the write-back, and Billing in the navigation', () => {
  const stack = usePortalStack();
  const em = () => stack.db.orm.em.fork();
  const control = async <T>(path: string, method = 'GET', body?: unknown): Promise<T> => {
    const res = await fetch(`${stack.sandboxUrl}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return (text ? JSON.parse(text) : null) as T;
  };
  const until = async <T>(probe: () => Promise<T | null | undefined>, what: string): Promise<T> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = await probe();
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const withCustomerNumber = async (email: string, customerNumber: string) => {
    await em().nativeUpdate(User, { email }, { customerNumber });
  };
  const navLink = (page: Page, name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

  beforeAll(async () => {
    const e = em();
    const internet = (slug: string, name: string, code: string) =>
      e.create(Product, {
        slug,
        name,
        description: 'Fibre to your home, billed monthly through your account.',
        deliverySummary: 'Activated once our team has reviewed the order.',
        priceMinor: 4900,
        currency: 'USD',
        deliveryModel: 'billing_service',
        fulfillmentDriver: 'whmcs',
        fulfillmentConfig: { productId: 1, billingCycle: 'monthly', paymentMethod: 'stripe' },
        enabledPaymentGateways: ['sandbox'],
        defaultPaymentGateway: 'sandbox',
        requiresReview: true,
        serviceRules: { operatorProductCode: code },
      });
    internet('home-internet-1g', 'Home Internet 1G', 'HOME-INTERNET-1G');
    internet('apartment-internet-1g', 'Apartment Internet 1G', 'APARTMENT-INTERNET-1G');
    await e.flush();
  });

  it('shows a customer only what their account may order, and everything with a note while the operator system is down', async () => {
    const page = await stack.visitor();
    await signUp(page, stack, 'sato@example.com');
    await withCustomerNumber('sato@example.com', 'CN-0043');
    await control('/faults/salesforce', 'PUT', { errorRate: 1, statusCode: 503 });
    try {
      await page.goto(`${stack.base}/`);
      await page.getByText('We could not check which services your address can get right now').waitFor();
      await page.getByRole('link', { name: 'Order Home Internet 1G' }).waitFor();
      await page.getByRole('link', { name: 'Order Apartment Internet 1G' }).waitFor();
      expect(await seriousAccessibilityProblems(page), 'accessibility of the catalog with its note').toEqual([]);
    } finally {
      await control('/faults/salesforce', 'DELETE');
    }
    // Back up: the next look is narrowed to the apartment's eligibility.
    await page.reload();
    await page.getByRole('link', { name: 'Order Apartment Internet 1G' }).waitFor();
    expect(await page.getByRole('link', { name: 'Order Home Internet 1G' }).count()).toBe(0);
    expect(await page.getByText('We could not check which services').count()).toBe(0);
    await page.close();
  });

  it('makes the Order in the operator system at checkout; ops press Provision there; WHMCS accepts it and the Order learns the outcome; Billing appears once the customer is billed', async () => {
    const page = await stack.visitor();
    await signUp(page, stack, 'taro@example.com');
    await withCustomerNumber('taro@example.com', 'CN-0042');
    await page.reload();

    // Eligible for home fibre, not for the apartment's; not billed yet, so no Billing link.
    await page.getByRole('link', { name: 'Order Home Internet 1G' }).waitFor();
    expect(await page.getByRole('link', { name: 'Order Apartment Internet 1G' }).count()).toBe(0);
    await navLink(page, 'My orders').waitFor();
    expect(await navLink(page, 'Billing').count()).toBe(0);

    // The order form makes the customer's WHMCS client; a card is saved there (the SSO page is
    // another journey's), and the checkout opens.
    await page.getByRole('link', { name: 'Order Home Internet 1G' }).click();
    await page.getByText('add a payment method there first').waitFor();
    const { clients } = await control<{ clients: { id: number; email: string }[] }>('/whmcs/state');
    const client = clients.find((c) => c.email === 'taro@example.com');
    expect(client).toBeDefined();
    await control(`/whmcs/clients/${client?.id}/paymethods`, 'POST');
    await page.getByRole('button', { name: 'I have added one: check again' }).click();
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(`${stack.sandboxUrl}/**`);
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(`${stack.base}/checkout/complete?**`);

    // The checkout's Order waits for review in the operator system, for the customer's account.
    const operatorOrder = await until(async () => {
      const { orders } = await control<{ orders: OperatorOrder[] }>('/salesforce/orders');
      return orders.find((o) => o.Handover_Order_Id__c);
    }, 'the operator system Order');
    expect(operatorOrder).toMatchObject({ Status: 'Pending Review', AccountId: '001Sb00000000001AA' });

    // Billing now applies to this customer.
    await page.goto(`${stack.base}/`);
    await navLink(page, 'Billing').waitFor();

    // Ops approve and press Provision on the operator system's page.
    const ops = await stack.visitor();
    await ops.goto(`${stack.sandboxUrl}/salesforce/lightning/orders`);
    const row = ops.getByRole('row').filter({ hasText: operatorOrder.Id });
    await row.getByRole('button', { name: 'Approve' }).click();
    await ops.getByText('is Approved').waitFor();
    await ops.getByRole('row').filter({ hasText: operatorOrder.Id }).getByRole('button', { name: 'Provision' }).click();
    await ops.getByText('Handover answered 202').waitFor();

    // WHMCS accepted the order; the write-back PATCHed the same Order with its ids.
    const whmcsOrder = await until(async () => {
      const { orders } = await control<{ orders: { id: number; status: string; notes: string }[] }>('/whmcs/state');
      return orders.find((o) => o.status === 'Active');
    }, 'the accepted WHMCS order');
    expect(whmcsOrder.notes).toContain(`operator_order_id=${operatorOrder.Id}`);
    const written = await until(async () => {
      const { patches } = await control<{
        patches: { orderId: string; status: number; fields: Record<string, unknown> }[];
      }>('/salesforce/patches');
      return patches.find((p) => p.status === 204);
    }, 'the write-back');
    expect(written.orderId).toBe(operatorOrder.Id);
    expect(written.fields).toMatchObject({ Status: 'Provisioned', WHMCS_Order_ID__c: String(whmcsOrder.id) });
    const { orders } = await control<{ orders: OperatorOrder[] }>('/salesforce/orders');
    expect(orders).toHaveLength(1);
    await ops.reload();
    await ops.getByRole('row').filter({ hasText: operatorOrder.Id }).getByText('Provisioned').waitFor();
    await ops.close();
    await page.close();
  });
});
