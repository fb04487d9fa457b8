import { createHash } from 'node:crypto';
import { ApiToken, WebhookEndpoint } from '@handover/db';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signUp } from './support/accounts';
import { seriousAccessibilityProblems } from './support/axe';
import { usePortalStack } from './support/portalStack';

// A public address written as an IP: saved without a DNS look. No event of this customer is ever sent to it.
const PUBLIC_ENDPOINT = 'https://8.8.8.8/handover-hooks';

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousAccessibilityProblems(page), `accessibility of ${where}`).toEqual([]);
}

/** A customer's developer settings: an API token shown once and revoked, a webhook endpoint and its secret. */
describe('API tokens and webhooks in the portal', () => {
  const stack = usePortalStack();

  it('makes a token shown once, revokes it, and adds an endpoint whose secret is shown once and rotated', async () => {
    const page = await stack.visitor();
    await signUp(page, stack, 'dev@brightbakery.com');

    await page.goto(`${stack.base}/account`);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    // A customer may ask only for what a customer can do.
    const newToken = page.getByRole('form', { name: 'New token' });
    expect(await newToken.getByRole('group', { name: 'What it may do' }).getByRole('checkbox').count()).toBe(2);
    await page.getByRole('button', { name: 'Make the token' }).click();
    await newToken.getByText('Name the token').first().waitFor();
    await newToken.getByLabel('Name').fill('shop site');
    await page.getByRole('button', { name: 'Make the token' }).click();
    const token = (await page.getByTestId('new-token').textContent()) ?? '';
    expect(token).toMatch(/^hov_pat_/);
    // Kept only as its hash.
    const stored = await stack.db.orm.em.fork().findOneOrFail(ApiToken, { name: 'shop site' });
    expect(stored.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    await expectAccessible(page, 'the account page with a new token');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.content()).not.toContain(token);

    const list = page.getByRole('list', { name: 'Your API tokens' });
    await list.getByText('active').waitFor();
    await page.getByRole('button', { name: 'Revoke shop site' }).click();
    await list.getByText('revoked').waitFor();
    expect((await stack.db.orm.em.fork().findOneOrFail(ApiToken, { id: stored.id })).revokedAt).not.toBeNull();

    await page.getByRole('link', { name: 'your webhook endpoints' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    // Loopback is refused outside development, with the reason beside the address.
    await page.getByLabel('Address').fill('http://127.0.0.1:9/hooks');
    await page.getByRole('button', { name: 'Add the endpoint' }).click();
    await page
      .getByText(/loopback/)
      .first()
      .waitFor();
    expect(await stack.db.orm.em.fork().count(WebhookEndpoint, {})).toBe(0);

    await page.getByLabel('Address').fill(PUBLIC_ENDPOINT);
    await page.getByLabel('Description').fill('shop site');
    await page.getByRole('button', { name: 'Add the endpoint' }).click();
    const secret = (await page.getByTestId('webhook-secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    const card = page.getByRole('region', { name: PUBLIC_ENDPOINT });
    await card.getByText('on', { exact: true }).waitFor();
    await expectAccessible(page, 'the webhooks page with a new secret');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.content()).not.toContain(secret);

    // A new secret, while the old one keeps signing for a day.
    await card.getByRole('button', { name: /New secret/ }).click();
    const rotated = (await page.getByTestId('webhook-secret').textContent()) ?? '';
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await card.getByText('The previous secret also signs until').waitFor();
  });
});
