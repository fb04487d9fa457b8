import { ActivityLog, Order, OutboxMessage, type Product, StaffInvite, User } from '@handover/db';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../scripts/test/chromium';
import { createManagedSetupProduct } from '../../worker/test/support/fixtures';
import { seriousAccessibilityProblems } from './support/axe';
import { eventually, STAFF, useBackOfficeStack } from './support/backOffice';

/** A table's body rows as text, one string per row. */
const rowsOf = (page: Page, table: string) =>
  page.getByRole('table', { name: table }).locator('tbody tr').allInnerTexts();

describe("ops' tools: the customer behind an order, notes, resending an email, sending an operator-system message again, inviting staff", () => {
  const stack = useBackOfficeStack();
  let product: Product;

  beforeAll(async () => {
    product = await createManagedSetupProduct(stack.db.orm.em.fork());
  });

  it('walks from an order to its customer, adds a note, resends the receipt and invites a colleague who joins', async () => {
    const order = await stack.paidOrder(product.id);
    const receipt = await eventually(
      async () => (await stack.db.orm.em.fork().count(OutboxMessage, { template: 'payment_receipt' })) > 0,
      'the receipt queued',
    ).then(() => stack.db.orm.em.fork().findOneOrFail(OutboxMessage, { template: 'payment_receipt' }));
    expect(receipt.data.orderId).toBe(order.id);
    // This stack has no mail relay: the receipt is marked delivered, as the sender leaves it.
    await stack.db.orm.em
      .fork()
      .nativeUpdate(OutboxMessage, { id: receipt.id }, { status: 'sent', sentAt: new Date() });
    const findings: string[] = [];

    // The order → its customer.
    const page = await stack.signIn('ops');
    await page.goto(`${stack.base}/admin/#/orders`);
    await page.getByRole('link', { name: 'buyer@example.com' }).first().waitFor();
    await page.goto(`${stack.base}/admin/#/orders/${order.id}/show`);
    await page.getByRole('link', { name: 'buyer@example.com' }).click();
    await page.waitForURL(/#\/customers\/[0-9a-f-]+\/show$/);
    await page.getByRole('heading', { name: 'Orders (1)' }).waitFor();
    expect((await rowsOf(page, 'Orders')).join('\n')).toContain(order.orderCode);
    expect((await rowsOf(page, 'Payments')).join('\n')).toMatch(/149\.00/);
    findings.push(...(await seriousAccessibilityProblems(page)).map((f) => `customer page: ${f}`));

    // Back to the order, to write a note: refused empty, then saved and shown newest first.
    await page.getByRole('table', { name: 'Orders' }).getByRole('link', { name: order.orderCode }).click();
    await page.waitForURL(/#\/orders\/[0-9a-f-]+\/show$/);
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Write the note before saving it').waitFor();
    await page.getByLabel('New note').fill('The customer called: the setup can wait until Monday.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page
      .getByRole('list', { name: 'Notes' })
      .getByText('The customer called: the setup can wait until Monday.')
      .waitFor();
    await eventually(
      async () => (await rowsOf(page, 'Activity')).some((row) => row.includes('note.added')),
      'the note in the activity',
    );

    // Resend the receipt, after confirming.
    await eventually(async () => (await rowsOf(page, 'Messages')).length === 1, 'the receipt listed');
    expect((await rowsOf(page, 'Messages'))[0]).toMatch(/sent/i);
    await page.getByRole('button', { name: /^Resend "/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/A new copy goes to buyer@example\.com/).waitFor();
    await dialog.getByRole('button', { name: 'Resend', exact: true }).click();
    await page.getByText(/is queued again for buyer@example\.com/).waitFor();
    await eventually(async () => (await rowsOf(page, 'Messages')).length === 2, 'the copy listed');
    expect((await rowsOf(page, 'Messages'))[0]).toContain('(resent copy)');
    findings.push(...(await seriousAccessibilityProblems(page)).map((f) => `order page: ${f}`));
    const opsId = (await stack.db.orm.em.fork().findOneOrFail(User, { email: STAFF.ops })).id;
    expect(
      await stack.db.orm.em.fork().find(ActivityLog, { subjectId: order.id, action: 'order.message_resent' }),
    ).toMatchObject([{ actorType: 'user', actorId: opsId, properties: { messageId: receipt.id } }]);
    expect((await stack.db.orm.em.fork().findOneOrFail(OutboxMessage, receipt.id)).status).toBe('sent');
    await page.close();

    // An admin invites a colleague; the colleague accepts in a browser of their own.
    const admin = await stack.signIn('admin');
    await admin.goto(`${stack.base}/admin/#/users`);
    await admin.getByRole('button', { name: 'Invite' }).click();
    const invite = admin.getByRole('dialog');
    await invite.getByLabel(/^Email/).fill('new.colleague@handover.test');
    await invite.getByRole('combobox', { name: 'Role' }).click();
    await admin.getByRole('option', { name: 'Finance' }).click();
    await invite.getByRole('button', { name: 'Send invite' }).click();
    await admin.getByText('Invite sent to new.colleague@handover.test.').waitFor();
    await eventually(
      async () =>
        (await rowsOf(admin, 'Invites')).some((row) => /new\.colleague@handover\.test[\s\S]*pending/.test(row)),
      'the invite listed as pending',
    );
    findings.push(...(await seriousAccessibilityProblems(admin)).map((f) => `users: ${f}`));

    const mail = await stack.db.orm.em
      .fork()
      .findOneOrFail(OutboxMessage, { recipient: 'new.colleague@handover.test', template: 'staff_invite' });
    const link = /(http\S+#\/accept-invite\?token=\S+)/.exec(mail.body)?.[1];
    expect(link).toBeDefined();
    const colleague = await launchChromium({ viewport: { width: 1366, height: 900 } });
    try {
      const tab = await colleague.context.newPage();
      tab.setDefaultTimeout(15_000);
      await tab.goto(link ?? 'about:blank');
      await tab.getByLabel(/^Password/).waitFor();
      findings.push(...(await seriousAccessibilityProblems(tab)).map((f) => `accept invite: ${f}`));
      await tab.getByLabel(/^Your name/).fill('New Colleague');
      await tab.getByLabel(/^Password/).fill('short');
      await tab.getByRole('button', { name: 'Join and sign in' }).click();
      await tab.getByText('Use at least 10 characters').waitFor();
      await tab.getByLabel(/^Password/).fill('a long and private password');
      await tab.getByRole('button', { name: 'Join and sign in' }).click();
      // Finance lands on its reports, signed in.
      await tab.getByText('Net revenue over time').waitFor();
    } finally {
      await colleague.close();
    }
    const joined = await stack.db.orm.em.fork().findOneOrFail(User, { email: 'new.colleague@handover.test' });
    expect(joined).toMatchObject({ role: 'finance', name: 'New Colleague' });
    expect(
      await stack.db.orm.em.fork().findOneOrFail(StaffInvite, { email: 'new.colleague@handover.test' }),
    ).toMatchObject({ acceptedUser: expect.objectContaining({ id: joined.id }) });
    await admin.reload();
    await eventually(
      async () =>
        (await rowsOf(admin, 'Invites')).some((row) => /new\.colleague@handover\.test[\s\S]*accepted/.test(row)),
      'the invite listed as accepted',
    );
    await admin.close();
    expect(findings).toEqual([]);
  });

  it('sends a failed operator-system message again from the order page, and shows it pending, then sent', async () => {
    const order = await stack.paidOrder(product.id);
    const em = stack.db.orm.em.fork();
    const placed = await em.findOneOrFail(Order, order.id, { populate: ['user'] });
    if (!placed.user) throw new Error('the order has no customer');
    // The checkout's Order was refused (the customer's number matched no account), and ops have
    // since corrected the number to the sandbox org's account.
    const failed = em.create(OutboxMessage, {
      channel: 'operator_system',
      recipient: order.orderCode,
      template: 'operator_order_create',
      body: `Order ${order.orderCode}: awaiting review`,
      data: { orderId: order.id, orderCode: order.orderCode },
      status: 'failed',
      attempts: 1,
      lastError: `Order ${order.orderCode}: the customer has no account in the operator system (no customer number, or none matches); review it in the back office`,
    });
    await em.flush();
    await em.nativeUpdate(User, placed.user.id, { customerNumber: 'CN-0042' });

    const page = await stack.signIn('ops');
    await page.goto(`${stack.base}/admin/#/orders/${order.id}/show`);
    const row = page
      .getByRole('table', { name: 'Messages' })
      .getByRole('row')
      .filter({ hasText: 'Order made for review' });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Operator system[\s\S]*Failed: .*has no account in the operator system/i);
    expect(await row.getByRole('button', { name: /^Resend/ }).count()).toBe(0);
    await row.getByRole('button', { name: 'Send "Order made for review" again' }).click();
    await page.getByText('"Order made for review" is queued for the operator system again.').waitFor();
    // The list is read again: the message is pending (or already sent, when the worker was quick).
    await eventually(
      async () => /Operator system(pending|sent)/i.test((await row.textContent()) ?? ''),
      'the message shown pending again',
    );
    const findings = await seriousAccessibilityProblems(page);

    // The same message, pending again, then sent by the worker; the page shows it when reloaded.
    await eventually(async () => {
      const message = await stack.db.orm.em.fork().findOneOrFail(OutboxMessage, failed.id);
      return message.status === 'sent';
    }, 'the message sent again');
    await page.reload();
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Operator systemsent/i);
    expect(await row.getByRole('button', { name: /Send .* again/ }).count()).toBe(0);
    const orders = await stack.sandbox.control<{ orders: { Handover_Order_Id__c: string }[] }>(
      '/_control/salesforce/orders',
    );
    expect(orders.orders.map((o) => o.Handover_Order_Id__c)).toContain(order.id);
    expect(
      await stack.db.orm.em.fork().find(ActivityLog, { subjectId: order.id, action: 'order.message_sent_again' }),
    ).toMatchObject([{ properties: { messageId: failed.id, previousAttempts: 1 } }]);
    await page.close();
    expect(findings).toEqual([]);
  });
});
