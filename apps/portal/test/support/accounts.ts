import { OutboxMessage } from '@handover/db';
import type { Page } from 'playwright-core';
import type { PortalStack } from './portalStack';

export const PASSWORD = 'correct horse battery';

/** The link of the newest email confirming `email`, as the customer would click it in their inbox. */
export async function confirmationLink(stack: PortalStack, email: string): Promise<string> {
  const [mail] = await stack.db.orm.em
    .fork()
    .find(OutboxMessage, { recipient: email, template: 'verify_email' }, { orderBy: { createdAt: 'desc' }, limit: 1 });
  const link = new URL(/https?:\/\/\S+/.exec(mail?.body ?? '')?.[0] ?? 'about:blank');
  return `${stack.base}${link.pathname}${link.search}`;
}

/** Opens the emailed link and finishes the account there: the password is chosen on that page. */
export async function finishAccount(page: Page, stack: PortalStack, email: string, check?: () => Promise<void>) {
  await page.goto(await confirmationLink(stack, email));
  await page.getByRole('heading', { name: 'Finish your account' }).waitFor();
  await check?.();
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Save and sign in' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'My orders' }).waitFor();
}

/** Sign-up as a customer does it: the address, then the link from the inbox. Lands signed in on the catalog. */
export async function signUp(
  page: Page,
  stack: PortalStack,
  email: string,
  check: (where: string) => Promise<void> = async () => {},
): Promise<void> {
  await page.goto(`${stack.base}/sign-up`);
  await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  await check('the sign-up page');
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel('Confirm email').fill(email);
  await page.getByRole('button', { name: 'Send me the link' }).click();
  await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
  await check('the sign-up page once the link is sent');
  await finishAccount(page, stack, email, () => check('the page a sign-up link opens'));
  await page.goto(`${stack.base}/`);
}
