import { DomainTransfer, FulfillmentRecord } from '@handover/db';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { placeOrder, until } from '../../worker/test/support/fixtures';
import { createPrivateSmtpProduct, privateSmtpLine } from '../../worker/test/support/privateSmtp';
import { eventually, useBackOfficeStack } from './support/backOffice';

const rows = (page: Page) => page.locator('table tbody tr').allInnerTexts();

async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Seed 001 for ops: domain transfers and Mailin.ai jobs, filtered, a failed one retried, and the seed's events. */
describe('private SMTP in the back office', () => {
  const stack = useBackOfficeStack();

  it('finds a failed transfer by status, platform and domain, retries it, and shows its job and events', async () => {
    const em = () => stack.db.orm.em.fork();
    const product = await createPrivateSmtpProduct(em(), {
      slug: 'private-smtp',
      retryPolicy: { maxAttempts: 1, backoffSeconds: [0] },
    });
    await stack.sandbox.setFault('mailin', { errorRate: 1, statusCode: 503, pathIncludes: '/domains/transfer' });
    const ok = await privateSmtpLine(em(), stack.worker.secrets, { domains: ['calm-shop.com'] });
    const broken = await privateSmtpLine(em(), stack.worker.secrets, { domains: ['stormy-shop.com'] });
    const placed = await placeOrder(em(), stack.worker.registry, product, [broken]);
    const recordId = placed.records[0]?.id ?? '';
    await until(async () => (await em().findOneOrFail(FulfillmentRecord, { id: recordId })).status === 'failed', {
      what: 'the transfer failed',
    });
    await stack.sandbox.clearFault('mailin');
    const calm = await placeOrder(em(), stack.worker.registry, product, [ok]);
    await until(
      async () =>
        (await em().findOneOrFail(FulfillmentRecord, { id: calm.records[0]?.id ?? '' })).status === 'completed',
      {
        what: 'the other order delivered',
      },
    );

    const page = await stack.signIn('ops');
    await page.locator('.RaMenu-open a, .RaMenu-closed a').getByText('Domain transfers', { exact: true }).click();
    await eventually(async () => (await rows(page)).length === 2, 'both transfers listed');
    await choose(page, 'Status', 'failed');
    await choose(page, 'Platform', 'spaceship');
    await page.getByLabel('Domain').fill('stormy');
    await eventually(async () => {
      const shown = await rows(page);
      return shown.length === 1 && shown[0]?.includes('stormy-shop.com') === true;
    }, 'the failed transfer alone');
    expect((await rows(page))[0]).toContain('provider_unavailable');

    await page.getByRole('button', { name: 'Retry stormy-shop.com' }).click();
    await until(async () => (await em().findOneOrFail(FulfillmentRecord, { id: recordId })).status === 'completed', {
      what: 'the retried domain delivered',
    });
    expect(await em().findOneOrFail(DomainTransfer, { record: recordId })).toMatchObject({ status: 'completed' });

    await page.locator('.RaMenu-open a, .RaMenu-closed a').getByText('Mailbox jobs', { exact: true }).click();
    await page.getByLabel('Domain').fill('stormy');
    await eventually(async () => {
      const shown = await rows(page);
      return shown.length === 1 && /completed/.test(shown[0] ?? '');
    }, 'the retried domain’s mailbox job, completed');

    // The record's page: what was delivered, and every provider call of its steps in the logs.
    await page.goto(`${stack.base}/admin/#/fulfillment-records/${recordId}/show`);
    await page.getByText('Mailboxes delivery').waitFor();
    await page.getByText('Mailboxes delivery').waitFor();
    await page.getByText('ama@stormy-shop.com #', { exact: false }).waitFor();
    await page.goto(
      `${stack.base}/admin/#/fulfillment-logs?filter=${encodeURIComponent(JSON.stringify({ recordId }))}`,
    );
    await eventually(
      async () => (await rows(page)).some((row) => row.includes('update_nameservers')),
      'the registrar call logged',
    );

    await page.goto(
      `${stack.base}/admin/#/activity?filter=${encodeURIComponent(JSON.stringify({ subjectId: placed.order.id }))}`,
    );
    await eventually(async () => {
      const shown = (await rows(page)).join('\n');
      return ['mailin_ai_domain_transfer_failed', 'mailin_ai_nameservers_updated', 'mailin_ai_mailboxes_created'].every(
        (action) => shown.includes(action),
      );
    }, 'the seed’s events in the activity log');
    await page.close();
  });
});
