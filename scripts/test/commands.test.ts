import { randomBytes } from 'node:crypto';
import { SecretBox, verifyPassword } from '@handover/core';
import { InventoryItem, InventoryPool, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { describe, expect, it } from 'vitest';
import { startProcess } from '../lib/processes';

describe('pnpm admin:create', () => {
  const db = useTestDatabase();
  const run = (args: string[], env: Record<string, string | undefined>) => {
    const proc = startProcess({
      name: 'admin:create',
      entry: 'scripts/admin-create.ts',
      args,
      env: { DATABASE_URL: db.url, PASSWORD_HASH_COST_LOG2: '10', HANDOVER_ADMIN_PASSWORD: undefined, ...env },
    });
    return proc.exited.then((code) => ({ code, output: proc.output() }));
  };

  it('creates an admin with the password from HANDOVER_ADMIN_PASSWORD', async () => {
    const result = await run(['--', '--email', 'First.Admin@Example.com', '--name', 'First Admin'], {
      HANDOVER_ADMIN_PASSWORD: 'a strong first password',
    });
    expect(result).toMatchObject({ code: 0 });
    expect(result.output).toContain('Created admin first.admin@example.com.');
    const user = await db.orm.em.fork().findOneOrFail(User, { email: 'first.admin@example.com' });
    expect(user).toMatchObject({ role: 'admin', name: 'First Admin' });
    expect(await verifyPassword('a strong first password', user.passwordHash ?? '')).toBe(true);
  });

  it('has no default password: without the variable or a terminal it refuses and changes nothing', async () => {
    const result = await run(['--email', 'nopass@example.com'], {});
    expect(result.code).toBe(1);
    expect(result.output).toContain('set HANDOVER_ADMIN_PASSWORD');
    expect(await db.orm.em.fork().count(User, { email: 'nopass@example.com' })).toBe(0);
  });

  it('refuses a weak password and a missing email with a clear message', async () => {
    const weak = await run(['--email', 'weak@example.com'], { HANDOVER_ADMIN_PASSWORD: 'short' });
    expect(weak.code).toBe(1);
    expect(weak.output).toContain('at least 10 characters');
    const noEmail = await run([], { HANDOVER_ADMIN_PASSWORD: 'a strong password' });
    expect(noEmail.code).toBe(1);
    expect(noEmail.output).toContain('usage: pnpm admin:create -- --email <email>');
  });
});

describe('pnpm secrets:rotate', () => {
  const db = useTestDatabase();

  it('re-encrypts every stored secret with the first key, readable once the old key is gone', async () => {
    const oldKey = { id: 'old', key: randomBytes(32) };
    const newKey = { id: 'new', key: randomBytes(32) };
    const spec = (keys: { id: string; key: Buffer }[]) =>
      keys.map((k) => `${k.id}=${k.key.toString('base64')}`).join(',');
    const em = db.orm.em.fork();
    const pool = em.create(InventoryPool, { slug: 'rotate-cmd', name: 'Rotate' });
    const sealed = new SecretBox([oldKey]);
    for (let i = 0; i < 3; i++)
      em.create(InventoryItem, { pool, email: `r${i}@outlook.test`, secretEncrypted: sealed.encrypt(`pw-${i}`) });
    await em.flush();

    const proc = startProcess({
      name: 'secrets:rotate',
      entry: 'scripts/secrets-rotate.ts',
      env: { DATABASE_URL: db.url, HANDOVER_ENCRYPTION_KEYS: spec([newKey, oldKey]) },
    });
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toContain('inventory_items.secret_encrypted: 3 re-encrypted');

    const onlyNew = new SecretBox([newKey]);
    const items = await db.orm.em.fork().find(InventoryItem, { pool: pool.id }, { orderBy: { email: 'asc' } });
    expect(items.map((item) => onlyNew.decrypt(item.secretEncrypted))).toEqual(['pw-0', 'pw-1', 'pw-2']);
  });
});
