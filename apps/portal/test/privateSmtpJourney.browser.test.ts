import {
  ActivityLog,
  Order,
  OrderEmail,
  OrderItem,
  OutboxMessage,
  PendingOrder,
  PlatformCredential,
} from '@handover/db';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPrivateSmtpProduct, vendorControl } from '../../worker/test/support/privateSmtp';
import { signUp } from './support/accounts';
import { seriousAccessibilityProblems } from './support/axe';
import { usePortalStack } from './support/portalStack';

const DOMAINS = ['brightbakery.com', 'brightbakery.org'];
const NAMECHEAP = { apiUser: 'brightbakery', apiKey: 'nc-key-0123456789abcdef' };

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousAccessibilityProblems(page), `accessibility of ${where}`).toEqual([]);
}

/**
 * Seed 001 in the browser: a customer orders mailboxes for two domains at Namecheap, pays, is
 * told that Namecheap refused our address, allow-lists it, resubmits, and reads the logins.
 */
describe('private SMTP mailboxes in the portal', () => {
  const stack = usePortalStack();

  beforeAll(async () => {
    const em = stack.db.orm.em.fork();
    const product = await createPrivateSmtpProduct(em, { slug: 'private-smtp' });
    Object.assign(product, { enabledPaymentGateways: ['sandbox'], defaultPaymentGateway: 'sandbox' });
    await em.flush();
    // The customer's Namecheap account holds the domains, and has not allow-listed us yet.
    await vendorControl(stack.sandboxUrl).namecheapAccount(
      NAMECHEAP.apiUser,
      NAMECHEAP.apiKey,
      ['203.0.113.9'],
      DOMAINS,
    );
  });

  it('orders, pays, fixes the allow-list the email asked for, resubmits, and reads the mailbox logins', async () => {
    const page = await stack.visitor();
    await signUp(page, stack, 'ama@brightbakery.com');

    await page.getByRole('link', { name: 'Order Private SMTP mailboxes' }).click();
    await page.getByRole('heading', { name: 'Order Private SMTP mailboxes' }).waitFor();

    // A bad form: errors beside the fields, and nothing sent.
    await page.getByLabel('Domains').fill('brightbakery.com\nnot a domain');
    await page.getByLabel('Prefix for inbox 1').fill('ama mensah');
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByText('Line 2: “not a domain” is not a domain name').waitFor();
    await page.getByText('Use only letters, digits, dots, dashes and underscores').waitFor();
    await page.getByText('Choose where your domains are registered: Spaceship or Namecheap').waitFor();
    await expectAccessible(page, 'the order form with its errors');
    await page.getByRole('radio', { name: 'Namecheap' }).check();
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByText('Enter your Namecheap API key').waitFor();
    expect(await stack.db.orm.em.fork().count(PlatformCredential, {})).toBe(0);

    await page.getByLabel('Domains').fill(DOMAINS.join('\n'));
    await page.getByRole('radio', { name: '2 inboxes' }).check();
    for (const [index, [prefix, first]] of [
      ['ama', 'Ama'],
      ['sales', 'Kofi'],
    ].entries()) {
      await page.getByLabel(`Prefix for inbox ${index + 1}`).fill(prefix ?? '');
      await page.getByLabel(`First name for inbox ${index + 1}`).fill(first ?? '');
      await page.getByLabel(`Last name for inbox ${index + 1}`).fill('Mensah');
    }
    await page.getByLabel('Namecheap API user').fill(NAMECHEAP.apiUser);
    await page.getByLabel('Namecheap API key').fill(NAMECHEAP.apiKey);
    await page.getByLabel(/I have added our IP address 127\.0\.0\.1/).check();
    await page.getByLabel('Namecheap backup codes').fill('111111 222222');
    await expectAccessible(page, 'the filled order form');
    await page.getByRole('button', { name: 'Review order' }).click();

    await page.getByRole('heading', { name: 'Check your order' }).waitFor();
    const summary = (await page.locator('.summary').textContent()) ?? '';
    for (const domain of DOMAINS) expect(summary).toContain(domain);
    expect(summary).toContain('ama@brightbakery.com, sales@brightbakery.com');
    expect(summary).toContain('API key ending cdef');
    expect(summary).not.toContain(NAMECHEAP.apiKey);
    expect(summary).toMatch(/\$58\.00/);
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(`${stack.sandboxUrl}/**`);
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(`${stack.base}/checkout/complete?**`);
    await page.getByRole('link', { name: 'Follow your order' }).click();

    const em = () => stack.db.orm.em.fork();
    const order = await em().findOneOrFail(Order, { email: 'ama@brightbakery.com' });
    // The keys are saved apart, encrypted; the order holds only their reference.
    for (const stored of [await em().find(PendingOrder, {}), await em().find(OrderItem, { order: order.id })]) {
      expect(JSON.stringify(stored)).not.toContain(NAMECHEAP.apiKey);
    }
    await page.waitForURL(`${stack.base}/orders/${order.orderCode}`);

    // Namecheap refused our address: the order waits for the customer, who was emailed how to fix it.
    await page.getByRole('heading', { name: 'Fix and resubmit' }).waitFor();
    await page
      .getByText(
        'We could not set the nameservers of brightbakery.com at Namecheap: our IP address is not on your Namecheap API allow-list.',
      )
      .first()
      .waitFor();
    const email = await em().findOneOrFail(OutboxMessage, { template: 'nameserver_update_failed' });
    expect(email.body).toContain('127.0.0.1');
    await expectAccessible(page, 'the order waiting for the customer');

    await vendorControl(stack.sandboxUrl).namecheapClientIps(NAMECHEAP.apiUser, ['203.0.113.9', '127.0.0.1']);
    await page.getByRole('button', { name: 'Resubmit' }).click();
    await page.getByText('Resubmitted: we carry on where we stopped.').waitFor();

    for (const domain of DOMAINS) {
      const mailboxes = page.getByRole('region', { name: `Mailboxes on ${domain}` });
      await mailboxes.getByText(`ama@${domain}`, { exact: true }).waitFor({ timeout: 30_000 });
      await page
        .getByRole('region', { name: `Nameservers for ${domain}` })
        .getByText(`${domain} points at these nameservers and is active.`)
        .waitFor();
    }
    await page
      .getByRole('heading', { name: new RegExp(`Order ${order.orderCode}`) })
      .getByText('Delivered')
      .waitFor();

    await page.getByRole('button', { name: 'Show password for ama@brightbakery.com' }).click();
    const stored = await em().findOneOrFail(OrderEmail, { email: 'ama@brightbakery.com' });
    await page.getByText(stack.worker.secrets.decrypt(stored.passwordEncrypted)).waitFor();
    expect(await em().count(ActivityLog, { action: 'mailin_ai_mailbox_password_revealed', subjectId: order.id })).toBe(
      1,
    );
    await expectAccessible(page, 'the delivered order');
    expect(await em().findOneOrFail(Order, { id: order.id })).toMatchObject({ fulfillmentStatus: 'completed' });
  });
});
