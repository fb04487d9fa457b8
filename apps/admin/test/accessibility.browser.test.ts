import { parseEncryptionKeys, SecretBox } from '@handover/core';
import { AdminAlert, ManualTask } from '@handover/db';
import { describe, expect, it } from 'vitest';
import { quarantinedRecord } from '../../server/test/quarantineFixture';
import { createTestkitProduct, placeOrder, stockPool, until } from '../../worker/test/support/fixtures';
import { testKeys } from '../../worker/test/support/inProcessWorker';
import { seriousAccessibilityProblems } from './support/axe';
import { eventually, useBackOfficeStack } from './support/backOffice';

/** Every list of the back office, as an admin's menu has them. */
const LISTS = [
  'orders',
  'customers',
  'reviews',
  'fulfillment-records',
  'data-orders',
  'subscriptions',
  'fulfillment-logs',
  'tasks',
  'domain-transfers',
  'mailbox-jobs',
  'inventory-pools',
  'inventory-items',
  'quarantine',
  'products',
  'key-ring',
  'alerts',
  'activity',
  'users',
  'api-tokens',
  'webhooks',
];

describe('the back office for people using assistive technology', () => {
  const stack = useBackOfficeStack();

  it('has no serious or critical axe findings on any list, with rows in it, nor on the sign-in form', async () => {
    const em = stack.db.orm.em.fork();
    await stockPool(em, new SecretBox(parseEncryptionKeys(testKeys)), 'microsoft-365', 2);
    const product = await createTestkitProduct(stack.db.orm.em.fork(), { slug: 'axe' });
    const { records } = await placeOrder(stack.db.orm.em.fork(), stack.worker.registry, product, [
      { label: 'axe.example', manual: true },
    ]);
    await until(() => stack.db.orm.em.fork().findOne(ManualTask, { record: records[0]?.id ?? '' }), {
      what: 'the manual review task',
    });
    const alerts = stack.db.orm.em.fork();
    const lowStock = alerts.create(AdminAlert, { type: 'low_inventory', message: 'Microsoft 365 is running low' });
    await alerts.flush();
    await quarantinedRecord(stack.db.orm, testKeys, { orderCode: 'HO-AXE01' });

    const findings: string[] = [];
    const signInPage = await stack.browser.newPage();
    await stack.browser.clearCookies();
    await signInPage.goto(`${stack.base}/admin/#/login`);
    await signInPage.getByLabel(/^Email/).waitFor();
    findings.push(...(await seriousAccessibilityProblems(signInPage)).map((f) => `sign-in: ${f}`));
    await signInPage.close();

    const page = await stack.signIn('admin');
    for (const list of LISTS) {
      await page.goto(`${stack.base}/admin/#/${list}`);
      await eventually(async () => {
        if ((await page.getByRole('progressbar').count()) > 0) return false;
        await page.waitForTimeout(300);
        return (await page.getByRole('progressbar').count()) === 0;
      }, `${list}, loaded`);
      findings.push(...(await seriousAccessibilityProblems(page)).map((f) => `${list}: ${f}`));
    }
    // An alert's page, with its history.
    await page.goto(`${stack.base}/admin/#/alerts/${lowStock.id}/show`);
    await page.getByRole('table', { name: 'Alert history' }).waitFor();
    findings.push(...(await seriousAccessibilityProblems(page)).map((f) => `alert page: ${f}`));
    expect(findings).toEqual([]);
  });
});
