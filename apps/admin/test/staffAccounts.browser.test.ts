import { User } from '@handover/db';
import { describe, expect, it } from 'vitest';
import { browser as apiClient, errorOf, TEST_PASSWORD } from '../../server/test/harness';
import { eventually, STAFF, useBackOfficeStack } from './support/backOffice';

describe('staff accounts', () => {
  const stack = useBackOfficeStack();

  it('an admin disables a staff member: their session ends at once and they cannot sign in until enabled', async () => {
    const ops = apiClient(stack.base, stack.base);
    await ops.api.auth.signIn.mutate({ email: STAFF.ops, password: TEST_PASSWORD });
    expect((await ops.api.auth.me.query()).email).toBe(STAFF.ops);
    const opsId = (await stack.db.orm.em.fork().findOneOrFail(User, { email: STAFF.ops })).id;

    const page = await stack.signIn('admin');
    await page.goto(`${stack.base}/admin/#/users/${opsId}`);
    await page.getByRole('button', { name: 'Disable account' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable account' }).click();
    await page.getByText(`${STAFF.ops} is disabled and signed out.`).waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    expect((await errorOf(ops.api.auth.me.query())).httpStatus).toBe(401);
    const refused = await errorOf(ops.api.auth.signIn.mutate({ email: STAFF.ops, password: TEST_PASSWORD }));
    expect(refused.httpStatus).toBeGreaterThanOrEqual(400);

    await page.getByRole('button', { name: 'Enable account' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Enable account' }).click();
    await eventually(
      async () => (await stack.db.orm.em.fork().findOneOrFail(User, { email: STAFF.ops })).disabledAt === null,
      'the account enabled',
    );
    await ops.api.auth.signIn.mutate({ email: STAFF.ops, password: TEST_PASSWORD });
    expect((await ops.api.auth.me.query()).email).toBe(STAFF.ops);
    await page.close();
  });
});
