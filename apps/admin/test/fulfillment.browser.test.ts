import { FulfillmentLog, FulfillmentRecord } from '@handover/db';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTestkitProduct, placeOrder, until } from '../../worker/test/support/fixtures';
import { eventually, useBackOfficeStack } from './support/backOffice';

/** The Datagrid's rows as text, one string per row. */
const rows = (page: Page) => page.locator('table tbody tr').allInnerTexts();

async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('fulfillment in the back office', () => {
  const stack = useBackOfficeStack();

  it('filters the logs by status and date, and shows a call with its secrets redacted', async () => {
    const em = stack.db.orm.em.fork();
    for (let day = 10; day <= 15; day++) {
      em.create(FulfillmentLog, {
        driver: 'data-bundle',
        network: 'AT-iShare',
        phoneNumber: '+233241234567',
        kind: 'provider_call',
        status: day % 2 === 0 ? 'failed' : 'success',
        step: 'deliver',
        method: 'POST',
        url: 'https://at-ishare.example/api/deliver',
        request: { phone: '+233241234567', password: `hunter-${day}` },
        apiResponse: { message: `answer of day ${day}` },
        httpStatus: day % 2 === 0 ? 503 : 200,
        durationMs: 100 + day,
        errorMessage: day % 2 === 0 ? `Insufficient balance on day ${day}` : null,
        createdAt: new Date(Date.UTC(2026, 0, day, 12)),
      });
    }
    await em.flush();

    const page = await stack.signIn('ops');
    await page.goto(`${stack.base}/admin/#/fulfillment-logs`);
    await choose(page, 'Status', 'failed');
    await page.getByLabel('From').fill('2026-01-11');
    await page.getByLabel('Until').fill('2026-01-14');
    await eventually(async () => (await rows(page)).length === 2, 'two failed logs between the 11th and the 14th');
    const shown = await rows(page);
    expect(shown.some((row) => row.includes('Insufficient balance on day 14'))).toBe(true);
    expect(shown.some((row) => row.includes('Insufficient balance on day 12'))).toBe(true);

    await page.getByText('Insufficient balance on day 12').click();
    await page.getByText('answer of day 12').waitFor();
    const request = (await page.getByLabel('Request').textContent()) ?? '';
    expect(request).toContain('[redacted]');
    expect(request).not.toContain('hunter-12');
    await page.close();
  });

  it('bulk-retries failed records once the sandbox fault is cleared, and they complete', async () => {
    const product = await createTestkitProduct(stack.db.orm.em.fork(), {
      slug: 'retry-me',
      retryPolicy: { maxAttempts: 1, backoffSeconds: [0] },
    });
    await stack.sandbox.setFault('testkit', { errorRate: 1, statusCode: 503, pathIncludes: '/v1/resources' });
    const { records } = await placeOrder(stack.db.orm.em.fork(), stack.worker.registry, product, [
      { label: 'alpha.example' },
      { label: 'beta.example' },
    ]);
    const ids = records.map((r) => r.id);
    await until(
      async () => (await stack.db.orm.em.fork().count(FulfillmentRecord, { id: { $in: ids }, status: 'failed' })) === 2,
      { what: 'both records failed' },
    );
    await stack.sandbox.clearFault('testkit');

    const page = await stack.signIn('ops');
    await page.goto(`${stack.base}/admin/#/fulfillment-records?filter=${encodeURIComponent('{"status":"failed"}')}`);
    await eventually(async () => (await rows(page)).length === 2, 'the two failed records listed');
    await page.getByRole('checkbox', { name: 'Select all' }).check();
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Retry' }).click();
    await page.getByText('Retry: 2 of 2 done').waitFor();
    expect(await page.getByRole('list', { name: 'Result per record' }).getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining('Queued for another attempt'),
      expect.stringContaining('Queued for another attempt'),
    ]);
    await page.getByRole('button', { name: 'Close' }).click();

    await page.goto(`${stack.base}/admin/#/fulfillment-records?filter=${encodeURIComponent('{"status":"completed"}')}`);
    await eventually(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      const shown = (await rows(page)).join('\n');
      return shown.includes('alpha.example') && shown.includes('beta.example');
    }, 'both records completed in the list');

    await page.getByText('alpha.example').click();
    const journal = page.getByRole('table', { name: 'Step journal' });
    await journal.waitFor();
    expect(await page.getByTestId('record-status').textContent()).toBe('completed');
    expect(await journal.getByRole('row').allInnerTexts()).toHaveLength(6);
    await page.getByRole('link', { name: /^HO-/ }).click();
    await page.getByRole('table', { name: 'Fulfillment records' }).getByText('beta.example').waitFor();
    await page.close();
  });
});
