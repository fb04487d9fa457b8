import { FulfillmentRecord } from '@handover/db';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bundleSandbox, createBundleProduct } from '../../worker/test/support/dataBundles';
import { placeOrder, until } from '../../worker/test/support/fixtures';
import { eventually, useBackOfficeStack } from './support/backOffice';

const rows = (page: Page) => page.locator('table tbody tr').allInnerTexts();

/** Seed 002 phase 6: data orders, their filters, the reseller float, a float hold resumed, and a bulk retry. */
describe('data orders in the back office', () => {
  const stack = useBackOfficeStack();

  it('shows data orders with their filters and float, resumes held bundles once the float is topped up, and retries failed ones', async () => {
    const em = () => stack.db.orm.em.fork();
    const reseller = bundleSandbox(stack.sandbox.url);
    const settled = (id: string, status: string) =>
      until(
        async () => {
          const r = await em().findOneOrFail(FulfillmentRecord, { id });
          return r.status === status && r.lockedBy === null ? r : null;
        },
        { what: `record ${id} ${status}` },
      );
    const product = await createBundleProduct(em(), { slug: 'back-office-10gb' });
    const order = async (phoneNumber: string) =>
      (await placeOrder(em(), stack.worker.registry, product, [{ network: 'AT-iShare', sizeGb: 10, phoneNumber }]))
        .records[0]?.id ?? '';

    await reseller.failNext({ failure: 'invalid_phone', phoneNumber: '0561234567' });
    const failed = await order('0561234567');
    await settled(failed, 'failed');
    await reseller.setFloat(0);
    const held = await order('0271234567');
    await settled(held, 'awaiting_provider');

    const page = await stack.signIn('ops');
    await page.goto(`${stack.base}/admin/#/data-orders`);
    await page.getByTestId('float-AT-iShare').getByText(/0\.00/).waitFor();
    await page.getByText('1 bundle(s) held for the float').waitFor();
    await eventually(async () => (await rows(page)).length === 2, 'both data orders');
    const shown = await rows(page);
    expect(shown.find((row) => row.includes('+233271234567'))).toMatch(/AT-iShare[\s\S]*10GB[\s\S]*held for float/);
    expect(shown.find((row) => row.includes('+233561234567'))).toContain('Invalid phone number');

    await page.getByLabel('Phone number').fill('056 123 4567');
    await eventually(async () => (await rows(page)).length === 1, 'the order for 056 123 4567');
    const report = await page.getByRole('link', { name: 'Fulfillment report (CSV)' }).getAttribute('href');
    expect(report).toMatch(/^\/reports\/data-bundles\.csv\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d&tz=.+&phone=056/);

    // Error 3: ops top the float up at the reseller, then say so here.
    await reseller.setFloat(500);
    await page.getByRole('button', { name: 'Float topped up' }).click();
    await page.getByRole('button', { name: 'Send them on' }).click();
    await page.getByText('1 held bundle(s) sent on').waitFor();
    await settled(held, 'completed');

    // Bulk retry of the failed one, once the reseller takes the number.
    await reseller.clearFailures();
    // The phone filter still shows only the failed order.
    await eventually(async () => (await rows(page)).length === 1, 'the failed order alone');
    await page.getByRole('checkbox', { name: 'Select all' }).check();
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Retry' }).click();
    await page.getByText('Queued for another attempt').waitFor();
    await settled(failed, 'completed');
    await page.close();
  });
});
