import { ActivityLog, FulfillmentRecord, ManualTask, Order, OutboxMessage, Product, Refund } from '@handover/db';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../worker/test/support/fixtures';
import { eventually, STAFF, useBackOfficeStack } from './support/backOffice';

const rowsOf = (page: Page, table: string) =>
  page.getByRole('table', { name: table }).locator('tbody tr').allInnerTexts();

describe('review before provisioning in the back office (seed 004)', () => {
  const stack = useBackOfficeStack();
  let product: Product;
  const em = () => stack.db.orm.em.fork();

  beforeAll(async () => {
    const e = em();
    product = e.create(Product, {
      slug: 'reviewed-install',
      name: 'Broadband installation',
      priceMinor: 3900,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'installs', slaHours: 48, instructions: 'Install the line.' },
      enabledPaymentGateways: ['sandbox'],
      defaultPaymentGateway: 'sandbox',
      requiresReview: true,
      activation: 'scheduled',
    });
    await e.flush();
  });

  it('lists the orders awaiting review, approves one on a date, and activates it now', async () => {
    const order = await stack.paidOrder(product.id);
    expect(order.status).toBe('pending_review');
    const page = await stack.signIn('ops');
    await page.locator('.RaMenu-open a, .RaMenu-closed a').getByText('Review', { exact: true }).click();
    const row = page.locator('tbody tr', { hasText: order.orderCode });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('buyer@example.com');
    expect(text).toContain('1 × Broadband installation');
    expect(text).toContain('Scheduled: ops choose the date');
    expect(text).toMatch(/\d+ min/);
    await row.click();

    await page.getByText(/^Awaiting review for/).waitFor();
    await page.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Activate on a date').check();
    await dialog.getByLabel('Activation date').fill('2099-03-30');
    await dialog.getByLabel('Time', { exact: true }).fill('09:00');
    await dialog.getByLabel('Time zone').selectOption('Europe/London');
    await dialog.getByText('Activates Monday 30 March 2099, 09:00 Europe/London (UTC+01:00)').waitFor();
    await dialog.getByRole('button', { name: 'Confirm approval' }).click();

    await page
      .getByRole('alert')
      .filter({ hasText: `Approved by ${STAFF.ops}` })
      .waitFor();
    await page.getByText('Not started').waitFor();
    // In the activity log with its operator.
    expect((await rowsOf(page, 'Activity')).join('\n')).toMatch(
      /order\.approved\s+Approved by ops@handover\.test; activation Monday 30 March 2099/,
    );
    await page
      .getByText(/Monday 30 March 2099, 09:00 Europe\/London \(UTC\+01:00\)/)
      .first()
      .waitFor();
    expect(await em().findOneOrFail(Order, order.id)).toMatchObject({
      status: 'approved',
      reviewedBy: STAFF.ops,
      activationScheduledAt: new Date('2099-03-30T08:00:00Z'),
    });
    expect((await em().findOneOrFail(FulfillmentRecord, { order: order.id })).status).toBe('scheduled');

    await page.getByRole('button', { name: 'Activate now' }).click();
    await page.getByText('Activation started').waitFor();
    // The manual driver hands the installation to a person: the activation is under way.
    const record = await em().findOneOrFail(FulfillmentRecord, { order: order.id });
    await until(() => em().findOne(ManualTask, { record: record.id }), { what: 'the installation task' });
    await page.reload();
    await page.locator('.MuiChip-label', { hasText: 'Activating' }).waitFor();
    expect(await page.getByRole('button', { name: 'Activate now' }).count()).toBe(0);
    const approval = await em().findOneOrFail(ActivityLog, { action: 'order.approved', subjectId: order.id });
    expect(approval).toMatchObject({ actorType: 'user' });
    await page.close();
  });

  it('rejects with a reason: the payment is refunded through the gateway and the customer is told', async () => {
    const order = await stack.paidOrder(product.id);
    const page = await stack.signIn('ops');
    await page.goto(`${stack.base}/admin/#/orders/${order.id}/show`);
    await page.getByRole('button', { name: 'Reject' }).click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Reject and refund' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/^Reason/).fill('We cannot install at that address yet');
    await confirm.click();

    await page
      .getByRole('alert')
      .filter({ hasText: `Rejected by ${STAFF.ops}` })
      .getByText(/: We cannot install at that address yet$/)
      .waitFor();
    expect((await rowsOf(page, 'Activity')).join('\n')).toMatch(
      /order\.rejected\s+Rejected by ops@handover\.test: We cannot install at that address yet/,
    );
    const refunded = await until(async () => {
      const found = await em().findOneOrFail(Order, order.id);
      return found.status === 'refunded' ? found : null;
    });
    expect(refunded).toMatchObject({ reviewDecision: 'rejected', refundedMinor: 3900 });
    expect(await em().findOneOrFail(Refund, { order: order.id })).toMatchObject({
      status: 'succeeded',
      destination: 'gateway',
      amountMinor: 3900,
    });
    await page.reload();
    await eventually(async () => (await rowsOf(page, 'Refunds')).length === 1, 'the refund listed');
    const [refund = ''] = await rowsOf(page, 'Refunds');
    expect(refund).toContain('succeeded');
    expect(refund).toContain('Order not approved: We cannot install at that address yet');
    expect((await em().findOneOrFail(FulfillmentRecord, { order: order.id })).status).toBe('cancelled');
    expect(await em().count(OutboxMessage, { recipient: 'buyer@example.com', template: 'order_rejected' })).toBe(1);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    // Gone from the review list.
    await page.goto(`${stack.base}/admin/#/reviews`);
    await page.getByText('No order is waiting for review.').waitFor();
    await eventually(
      async () => (await page.locator('tbody tr', { hasText: order.orderCode }).count()) === 0,
      'off the list',
    );
    await page.close();
  });
});
