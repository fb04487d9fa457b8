import { parseEncryptionKeys, SecretBox } from '@handover/core';
import { ActivityLog, InventoryItem, InventoryPool, Product, User } from '@handover/db';
import { describe, expect, it } from 'vitest';
import { testKeys } from '../../worker/test/support/inProcessWorker';
import { eventually, STAFF, useBackOfficeStack } from './support/backOffice';

describe('inventory and products in the back office', () => {
  const stack = useBackOfficeStack();
  const box = new SecretBox(parseEncryptionKeys(testKeys));

  async function pool(slug: string, accounts: Record<string, string>) {
    const em = stack.db.orm.em.fork();
    const created = em.create(InventoryPool, { slug, name: `Microsoft 365 (${slug})`, lowStockThreshold: 2 });
    for (const [email, password] of Object.entries(accounts)) {
      em.create(InventoryItem, { pool: created, email, secretEncrypted: box.encrypt(password) });
    }
    await em.flush();
    return created;
  }

  it('imports an inventory CSV: the preview names the bad row and holds the import; the fixed file imports with a report', async () => {
    const m365 = await pool('m365-import', { 'existing@outlook.test': 'Existing1!' });
    const page = await stack.signIn('ops');
    await page.goto(`${stack.base}/admin/#/inventory-pools/${m365.id}/show`);
    const upload = (name: string, csv: string) =>
      page.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });

    await upload(
      'accounts.csv',
      'email,password,notes\nfresh1@outlook.test,Pass1!,\nnot-an-email,Pass2!,\nEXISTING@outlook.test,Pass3!,\n',
    );
    await page.getByText('1 row(s) cannot be imported').waitFor();
    expect(await page.getByRole('list', { name: 'Refused rows' }).textContent()).toMatch(/^Line 3: /);
    expect(await page.getByRole('list', { name: 'Skipped duplicates' }).textContent()).toContain(
      'Line 4: existing@outlook.test — already in pool',
    );
    expect(await page.getByRole('button', { name: /^Import / }).count()).toBe(0);

    await upload(
      'accounts-fixed.csv',
      'email,password,notes\nfresh1@outlook.test,Pass1!,\nfresh2@outlook.test,Pass2!,Batch 2\n',
    );
    await page.getByRole('button', { name: 'Import 2 account(s)' }).click();
    await page.getByText('Imported 2 account(s).').waitFor();
    await eventually(async () => (await page.getByTestId('count-available').textContent()) === '3', 'three available');
    expect(await stack.db.orm.em.fork().count(InventoryItem, { pool: m365.id, status: 'available' })).toBe(3);
    await page.close();
  });

  it("edits a product with a config its driver refuses and shows the driver's error beside the field", async () => {
    const em = stack.db.orm.em.fork();
    const product = em.create(Product, {
      slug: 'managed-email',
      name: 'Managed email setup',
      priceMinor: 14900,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'ops', slaHours: 24, instructions: 'Configure the customer mail setup.' },
      enabledPaymentGateways: ['sandbox'],
      defaultPaymentGateway: 'sandbox',
    });
    await em.flush();

    const page = await stack.signIn('admin');
    await page.goto(`${stack.base}/admin/#/products/${product.id}`);
    const sla = page.getByLabel('sla Hours');
    await sla.fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    const field = page.locator('.MuiFormControl-root', { has: sla });
    await eventually(async () => /Enter 1 or more/.test((await field.textContent()) ?? ''), 'the SLA error');
    const stored = await stack.db.orm.em.fork().findOneOrFail(Product, { id: product.id });
    expect(stored.fulfillmentConfig.slaHours).toBe(24);
    expect(await page.getByRole('button', { name: 'Test connection' }).isDisabled()).toBe(true);
    await page.getByText('The manual driver has no connection test.').waitFor();
    await page.close();
  });

  it('keeps inventory accounts and passwords from finance on screen and on the server; an admin reveals one, logged', async () => {
    const secrets = await pool('m365-secrets', { 'stock@outlook.test': 'S3cret-Stock!' });
    const finance = await stack.signIn('finance');
    const menu =
      (await finance.getByRole('navigation').or(finance.locator('.RaSidebar-fixed')).first().textContent()) ?? '';
    expect(menu).toContain('Inventory');
    expect(menu).not.toContain('Inventory accounts');
    await finance.goto(`${stack.base}/admin/#/inventory-pools/${secrets.id}/show`);
    await finance.getByTestId('count-available').waitFor();
    expect(await finance.getByText('Import accounts from CSV').count()).toBe(0);
    expect(await finance.getByText('Accounts in this pool').count()).toBe(0);
    await finance.goto(`${stack.base}/admin/#/inventory-items`);
    await finance.waitForTimeout(500);
    expect(await finance.content()).not.toContain('stock@outlook.test');

    const item = await stack.db.orm.em.fork().findOneOrFail(InventoryItem, { pool: secrets.id });
    const refused = await finance.evaluate(async (itemId) => {
      const res = await fetch('/trpc/backOffice.inventory.revealSecret', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { itemId } }),
      });
      return { status: res.status, body: await res.text() };
    }, item.id);
    expect(refused.status).toBe(403);
    expect(refused.body).not.toContain('S3cret-Stock!');
    await finance.close();

    const admin = await stack.signIn('admin');
    await admin.goto(
      `${stack.base}/admin/#/inventory-items?filter=${encodeURIComponent(JSON.stringify({ poolId: secrets.id }))}`,
    );
    await admin.getByText('stock@outlook.test').waitFor();
    expect(await admin.content()).not.toContain('S3cret-Stock!');
    await admin.getByRole('button', { name: 'Reveal password' }).click();
    expect(await admin.getByLabel('Revealed password').textContent()).toBe('S3cret-Stock!');
    const adminUser = await stack.db.orm.em.fork().findOneOrFail(User, { email: STAFF.admin });
    const reveals = { action: 'inventory.secret_revealed', subjectId: item.id, actorId: adminUser.id };
    expect(await stack.db.orm.em.fork().count(ActivityLog, reveals)).toBe(1);
    await admin.close();
  });
});
