import { readFile } from 'node:fs/promises';
import { AdminAlert, InventoryItem, Order, PendingCompensation, User } from '@handover/db';
import { describe, expect, it } from 'vitest';
import { quarantinedRecord } from '../../server/test/quarantineFixture';
import { testKeys } from '../../worker/test/support/inProcessWorker';
import { eventually, useBackOfficeStack } from './support/backOffice';

/**
 * Issues 25 and 26 as ops walk them: filter the orders, read the total, export the filter and
 * find in the file exactly the rows the filter holds (more than a page); open Quarantine, retry an
 * undo and resolve another; open an alert's history.
 */
describe('list totals and exports, Quarantine and alert history in the back office', () => {
  const stack = useBackOfficeStack();

  it('filters orders, shows their total, and exports every matching row', async () => {
    const em = stack.db.orm.em.fork();
    const buyer = em.create(User, { email: 'lists-buyer@example.com' });
    for (let i = 0; i < 40; i++) {
      em.create(Order, {
        orderCode: `HO-L${String(i).padStart(5, '0')}`,
        user: buyer,
        // 30 match "lists-", 10 do not.
        email: i < 30 ? `lists-${i}@example.com` : `other-${i}@example.com`,
        amountMinor: 1000,
        currency: i % 2 === 0 ? 'USD' : 'EUR',
      });
    }
    await em.flush();

    const page = await stack.signIn('ops');
    await page.goto(`${stack.base}/admin/#/orders`);
    await page.getByLabel('Order code, email, phone or domain').fill('lists-');
    const total = page.getByTestId('list-total');
    await eventually(async () => /^30 matching/.test((await total.textContent()) ?? ''), 'the total of the filter');
    // Sums by currency: 15 orders of 10.00 in each.
    expect(await total.textContent()).toMatch(/€150\.00 \(15\).*\$150\.00 \(15\)|\$150\.00 \(15\).*€150\.00 \(15\)/);
    // One page of 25 shows; the export has all 30.
    await eventually(async () => (await page.locator('table tbody tr').count()) === 25, 'the first page');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^orders_\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...rows] = (await readFile((await download.path()) ?? '', 'utf8')).trim().split('\n');
    expect(header).toMatch(/^created_at_utc,order_code,email,/);
    const emails = rows.map((row) => row.split(',')[2]);
    expect(emails).toHaveLength(30);
    expect(new Set(emails)).toEqual(new Set(Array.from({ length: 30 }, (_, i) => `lists-${i}@example.com`)));
    await page.close();
  });

  it('retries one quarantined undo, resolves another by writing its account off, and shows the alert history', async () => {
    const retried = await quarantinedRecord(stack.db.orm, testKeys, { orderCode: 'HO-QLIST1' });
    const resolved = await quarantinedRecord(stack.db.orm, testKeys, { orderCode: 'HO-QLIST2' });
    const page = await stack.signIn('ops');

    // From the rollback alert to Quarantine.
    await page.goto(`${stack.base}/admin/#/alerts`);
    await page.getByRole('link', { name: 'Open Quarantine' }).first().click();
    await eventually(async () => page.url().includes('/quarantine'), 'Quarantine, from the alert');
    await page.getByText('HO-QLIST1').waitFor();
    await page.getByText(retried.account.email).waitFor();
    await page
      .getByText(/Undo create_vendor_order: .*deleteOrder answered 503/)
      .first()
      .waitFor();

    await page.getByRole('button', { name: 'Retry now: the undo of HO-QLIST1' }).click();
    const retryDialog = page.getByRole('dialog', { name: 'Try the undo of HO-QLIST1 again now?' });
    await retryDialog.getByText(/goes back to its pool and the alert is resolved/).waitFor();
    await retryDialog.getByRole('button', { name: 'Retry the undo' }).click();
    await page.getByText('The undo is being tried again now').waitFor();
    // The worker tries it: the manual driver's step has nothing to undo, so the account is released.
    await eventually(
      async () =>
        (await stack.db.orm.em.fork().findOneOrFail(PendingCompensation, { record: retried.record.id })).status ===
        'done',
      'the retried undo finished',
    );
    expect((await stack.db.orm.em.fork().findOneOrFail(InventoryItem, retried.account.id)).status).toBe('available');

    await page.getByRole('button', { name: 'Resolve the undo of HO-QLIST2' }).click();
    const resolveDialog = page.getByRole('dialog', { name: 'Resolve the undo of HO-QLIST2 by hand?' });
    const confirm = resolveDialog.getByRole('button', { name: 'Return to the pool' });
    expect(await confirm.isDisabled()).toBe(true);
    await resolveDialog.getByLabel(/^Write off/).check();
    await resolveDialog.getByLabel('What was done at the provider').fill('The vendor keeps the account');
    await resolveDialog.getByRole('button', { name: 'Write off' }).click();
    await page.getByText('Written off; the alert is resolved').waitFor();
    expect((await stack.db.orm.em.fork().findOneOrFail(InventoryItem, resolved.account.id)).status).toBe('depleted');

    // The alert of the resolved one: its state and history.
    const alert = await stack.db.orm.em
      .fork()
      .findOneOrFail(AdminAlert, { dedupeKey: `rollback_failure:${resolved.record.id}` });
    await page.goto(`${stack.base}/admin/#/alerts`);
    await page.getByRole('combobox', { name: 'State' }).click();
    await page.getByRole('option', { name: 'Resolved', exact: true }).click();
    await page.getByText(/Order HO-QLIST2: undoing create_vendor_order failed/).click();
    await eventually(async () => page.url().includes(`/alerts/${alert.id}/show`), 'the alert page');
    const history = page.getByRole('table', { name: 'Alert history' });
    await history.getByText('Opened').waitFor();
    await history.getByText('Resolved').waitFor();
    await history.getByText('Written off: The vendor keeps the account').waitFor();
    await page.close();
  });
});
