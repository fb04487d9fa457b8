import { FulfillmentRecord } from '@handover/db';
import { describe, expect, it } from 'vitest';
import { createTestkitProduct, placeOrder, until } from '../../worker/test/support/fixtures';
import { eventually, useBackOfficeStack } from './support/backOffice';

describe('the back office as ops read it', () => {
  const stack = useBackOfficeStack();

  it('fits the log in a laptop window, shows changes as changes, forgets a record filter, reads the order form and opens what a tile counts', async () => {
    const product = await createTestkitProduct(stack.db.orm.em.fork(), { slug: 'care' });
    const delivered = await placeOrder(stack.db.orm.em.fork(), stack.worker.registry, product, [
      { label: 'care.example', forwardingUrl: 'https://care.example/mail' },
    ]);
    const failed = await placeOrder(stack.db.orm.em.fork(), stack.worker.registry, product, [
      { label: 'refused.example', reject: true },
    ]);
    const statusOf = async (id: string) =>
      (await stack.db.orm.em.fork().findOneOrFail(FulfillmentRecord, { id })).status;
    await until(async () => (await statusOf(delivered.records[0]?.id ?? '')) === 'completed', {
      what: 'the delivered record',
    });
    await until(async () => (await statusOf(failed.records[0]?.id ?? '')) === 'failed', { what: 'the failed record' });

    const page = await stack.signIn('ops');
    await page.setViewportSize({ width: 1366, height: 900 });

    // The log: no wider than the window, and a transition is a change, not an error.
    await page.goto(`${stack.base}/admin/#/fulfillment-logs`);
    const logTable = page.locator('table').first();
    await logTable.locator('tbody tr').first().waitFor();
    const [pageWidth, windowWidth] = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      window.innerWidth,
    ]);
    expect(pageWidth).toBeLessThanOrEqual(windowWidth);
    const cells = await logTable.locator('tbody td').allInnerTexts();
    expect(cells.some((text) => /→ completed$/.test(text.trim()))).toBe(true);
    expect(cells.filter((text) => text.startsWith('Error:') && text.includes('→'))).toEqual([]);
    expect(await logTable.locator('thead').textContent()).not.toMatch(/\bError\b/);

    // Opened from a record, the log is filtered by it; opened again from the menu, it is not.
    const recordId = delivered.records[0]?.id ?? '';
    await page.goto(`${stack.base}/admin/#/fulfillment-records/${recordId}/show`);
    await page.getByRole('link', { name: /logs/i }).first().click();
    await eventually(async () => page.url().includes('recordId'), 'the log filtered by the record');
    await page.locator('.RaMenu-open a, .RaMenu-closed a').getByText('Logs', { exact: true }).click();
    await eventually(async () => !page.url().includes('recordId'), 'the log, unfiltered');
    await page.waitForTimeout(500);
    expect(await page.getByText(recordId).count()).toBe(0);
    expect(page.url()).not.toContain(encodeURIComponent(recordId));

    // The order's form as labelled fields, not JSON.
    await page.goto(`${stack.base}/admin/#/orders/${delivered.order.id}/show`);
    const form = page.getByRole('region', { name: 'Order form for Testkit care' });
    await form.waitFor();
    expect(await form.textContent()).toMatch(/Forwarding URL\s*https:\/\/care\.example\/mail/);
    expect(await form.textContent()).not.toContain('{');

    // A dashboard tile opens the list of what it counts.
    await page.goto(`${stack.base}/admin/#/`);
    await page.getByRole('link', { name: /Failures, last 24 h/ }).click();
    await eventually(async () => page.url().includes('fulfillment-records'), 'the failed records');
    await page.getByText('refused.example', { exact: true }).waitFor();
    expect(await page.getByText('care.example', { exact: true }).count()).toBe(0);

    // The activity log links its subjects to their pages.
    await page.goto(`${stack.base}/admin/#/activity`);
    const subject = page.locator('table tbody a').first();
    await subject.waitFor();
    const href = (await subject.getAttribute('href')) ?? '';
    expect(href).toMatch(/#\/[a-z-]+\/[0-9a-f-]{36}/);
    await page.close();
  });
});
