import { OutboxMessage } from '@handover/db';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../../server/test/harness';
import { eventually, STAFF, useBackOfficeStack } from './support/backOffice';

describe('signing in to the back office', () => {
  const stack = useBackOfficeStack();

  it('shows the sign-in form, asking for an email, at once on a first visit', async () => {
    const context = stack.browser;
    await context.clearCookies();
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${stack.base}/admin/`);
    await page.getByLabel(/^Email/).waitFor({ timeout: 10_000 });
    // A signed-out visit's 401 is not retried with back-off (seven seconds) before the form shows.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(await page.getByText('Username').count()).toBe(0);
    await page.close();
  });

  it('resets a forgotten password through an emailed link that opens in the back office', async () => {
    const context = stack.browser;
    await context.clearCookies();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${stack.base}/admin/#/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel(/^Email/).fill(STAFF.ops);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page.getByText('If an account uses this email, a link to reset its password is on its way.').waitFor();

    let link = '';
    await eventually(async () => {
      const sent = await stack.db.orm.em
        .fork()
        .findOne(OutboxMessage, { recipient: STAFF.ops, template: 'password_reset' });
      link = /https?:\/\/\S+/.exec(sent?.body ?? '')?.[0] ?? '';
      return link !== '';
    }, 'the reset email');
    expect(link.startsWith(`${stack.base}/admin/#/reset-password?token=`)).toBe(true);

    await page.goto(link);
    await page.getByLabel(/^New password/).fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Use at least 10 characters').waitFor();
    await page.getByLabel(/^New password/).fill('a brand new staff password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password is changed. Sign in with it now.').waitFor();

    await page.getByRole('link', { name: 'Back to sign in' }).click();
    await page.getByLabel(/^Email/).fill(STAFF.ops);
    await page.getByLabel(/^Password/).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText(/./).first().waitFor();
    await page.getByLabel(/^Password/).fill('a brand new staff password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Fulfillment records by status').waitFor();
    await page.close();
  });
});
