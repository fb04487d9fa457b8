import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEncryptionKeys, SecretBox } from '@handover/core';
import { InventoryItem, InventoryPool } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess } from '../lib/processes';

const KEYS = `k1=${randomBytes(32).toString('base64')}`;

describe('pnpm inventory:import', () => {
  const db = useTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'inventory-import-'));
  let poolId = '';

  const csv = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const runImport = async (args: string[], env: Record<string, string | undefined> = {}) => {
    const proc = startProcess({
      name: 'inventory-import',
      entry: 'scripts/inventoryImport.ts',
      args,
      env: { DATABASE_URL: db.url, HANDOVER_ENCRYPTION_KEYS: KEYS, ...env },
    });
    const code = await proc.exited;
    return { code, output: proc.output() };
  };
  const stored = () => db.orm.em.fork().find(InventoryItem, { pool: poolId }, { orderBy: { createdAt: 'asc' } });

  beforeAll(async () => {
    const em = db.orm.em.fork();
    const pool = em.create(InventoryPool, { slug: 'microsoft-365', name: 'Microsoft 365 accounts' });
    await em.flush();
    poolId = pool.id;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a file with a bad row, printing its line, exiting 1 and importing nothing', async () => {
    const file = csv('bad.csv', 'email,password,notes\nok@outlook.com,Pass1!,\nbroken-email,Pass2!,\n');
    const { code, output } = await runImport(['--', '--pool', 'microsoft-365', file]);
    expect(code).toBe(1);
    expect(output).toContain('1 row(s) refused, so nothing was imported. Fix these lines and run again:');
    expect(output).toContain('  line 3: email is not a valid email address');
    expect(await stored()).toEqual([]);
  });

  it('previews with --dry-run, writing nothing', async () => {
    const file = csv('preview.csv', 'email,password\na@outlook.com,Pass1!\n');
    const { code, output } = await runImport(['--pool', 'microsoft-365', '--dry-run', file]);
    expect(code).toBe(0);
    expect(output).toContain('1 account(s) would be imported (nothing written).');
    expect(await stored()).toEqual([]);
  });

  it('imports a good file, reports duplicates, and never prints a password', async () => {
    const file = csv(
      'good.csv',
      'email,password,notes\naccount1@outlook.com,Secret-One-1!,Production\naccount2@outlook.com,Secret-Two-2!,\naccount1@outlook.com,Secret-One-1!,\n',
    );
    const { code, output } = await runImport(['--', '--pool', 'microsoft-365', file]);
    expect(code).toBe(0);
    expect(output).toContain('2 account(s) imported.');
    expect(output).toContain('  line 4: account1@outlook.com (repeated in file)');
    expect(output).not.toContain('Secret-');
    const box = new SecretBox(parseEncryptionKeys(KEYS));
    expect((await stored()).map((item) => [item.email, box.decrypt(item.secretEncrypted)])).toEqual([
      ['account1@outlook.com', 'Secret-One-1!'],
      ['account2@outlook.com', 'Secret-Two-2!'],
    ]);
  });

  it('explains a usage mistake, an unknown pool and a missing setting', async () => {
    const file = csv('one.csv', 'email,password\nz@outlook.com,Pass!\n');
    const noPool = await runImport([file]);
    expect(noPool).toMatchObject({ code: 2, output: expect.stringContaining('Name the pool with --pool') });
    const unknown = await runImport(['--pool', 'nope', file]);
    expect(unknown).toMatchObject({ code: 1, output: expect.stringContaining('There is no inventory pool "nope"') });
    const noKeys = await runImport(['--pool', 'microsoft-365', file], { HANDOVER_ENCRYPTION_KEYS: '' });
    expect(noKeys.code).toBe(1);
    expect(noKeys.output).toContain('HANDOVER_ENCRYPTION_KEYS');
  });
});
