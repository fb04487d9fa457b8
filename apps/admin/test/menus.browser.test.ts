import { AdminAlert, ManualTask } from '@handover/db';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTestkitProduct, placeOrder, until } from '../../worker/test/support/fixtures';
import { eventually, type STAFF, useBackOfficeStack } from './support/backOffice';

const EVERY_ENTRY = [
  'Dashboard',
  'Orders',
  'Customers',
  'Review',
  'Fulfillment',
  'Data orders',
  'Subscriptions',
  'Logs',
  'Manual tasks',
  'Domain transfers',
  'Mailbox jobs',
  'Inventory',
  'Inventory accounts',
  'Quarantine',
  'Products',
  'Key ring',
  'Alerts',
  'Activity log',
  'Users',
];

const WITH_REPORTS = ['Dashboard', 'Reports', ...EVERY_ENTRY.slice(1)];

const MENU: Record<keyof typeof STAFF, string[]> = {
  admin: [...WITH_REPORTS, 'API tokens', 'Webhooks'],
  ops: EVERY_ENTRY.filter((entry) => entry !== 'Users'),
  finance: WITH_REPORTS.filter(
    (entry) => !['Manual tasks', 'Inventory accounts', 'Quarantine', 'Users'].includes(entry),
  ),
};

async function menuEntries(page: Page): Promise<string[]> {
  const entries = await page.locator('.RaMenu-open a, .RaMenu-closed a').allInnerTexts();
  return entries.map((entry) => entry.trim()).filter(Boolean);
}

describe('back office menus', () => {
  const stack = useBackOfficeStack();

  it('shows each role its own menu, every page in it opens without an error, and none calls a third party', async () => {
    const product = await createTestkitProduct(stack.db.orm.em.fork(), { slug: 'menus' });
    const { records } = await placeOrder(stack.db.orm.em.fork(), stack.worker.registry, product, [
      { label: 'menus.example', manual: true },
    ]);
    await until(() => stack.db.orm.em.fork().findOne(ManualTask, { record: records[0]?.id ?? '' }), {
      what: 'the manual review task',
    });
    const em = stack.db.orm.em.fork();
    em.create(AdminAlert, { type: 'low_inventory', message: 'Microsoft 365 is running low' });
    await em.flush();

    // Every request any page makes, and every policy violation the browser reports.
    const requested: string[] = [];
    const violations: string[] = [];
    stack.browser.on('request', (request) => requested.push(request.url()));
    stack.browser.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });

    for (const role of Object.keys(MENU) as (keyof typeof STAFF)[]) {
      const page = await stack.signIn(role);
      // Finance lands on its reports; the others on the operations dashboard.
      const landing = role === 'finance' ? 'Net revenue over time' : 'Fulfillment records by status';
      await page.getByText(landing).first().waitFor();
      expect(await menuEntries(page)).toEqual(MENU[role]);
      for (const entry of MENU[role]) {
        const link = page.locator('.RaMenu-open a, .RaMenu-closed a').getByText(entry, { exact: true });
        const href = (await link.getAttribute('href')) ?? '';
        await link.click();
        await eventually(async () => page.url().endsWith(href), `${role} on ${entry}'s address`);
        // Settled: nothing loading on two looks a moment apart.
        await eventually(async () => {
          if ((await page.getByRole('progressbar').count()) > 0) return false;
          await page.waitForTimeout(300);
          return (await page.getByRole('progressbar').count()) === 0;
        }, `${role} on ${entry}, loaded`);
        expect(await page.getByText('Something went wrong').count(), `${role} opening ${entry}`).toBe(0);
        // A refusal or failed request shows as a notification (role="alert").
        expect(await page.getByRole('alert').allInnerTexts(), `${role} opening ${entry}`).toEqual([]);
      }
      await page.close();
    }

    // The back office talks to this server and to no one else: no telemetry beacon, no font or
    // script from elsewhere, and the server's policy would refuse them if it tried.
    const origin = new URL(stack.base).origin;
    expect(requested.length).toBeGreaterThan(20);
    expect(requested.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin)).toEqual([]);
    expect(violations).toEqual([]);
    const policy = (await fetch(`${stack.base}/admin/`)).headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "connect-src 'self'", "img-src 'self' data:", "script-src 'self'"]) {
      expect(policy).toContain(directive);
    }
    expect(policy).not.toMatch(/https?:|\*/);
  });
});
