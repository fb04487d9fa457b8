import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ActivityLog, InventoryItem, InventoryPool } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { describe, expect, it } from 'vitest';
import { importInventoryCsv, NotFoundError, SecretBox } from '../src';

const box = new SecretBox([{ id: 'k1', key: randomBytes(32) }]);

describe('importInventoryCsv', () => {
  const db = useTestDatabase();
  let pools = 0;

  const createPool = async (existing: { email: string; password: string }[] = []) => {
    const em = db.orm.em.fork();
    const pool = em.create(InventoryPool, { slug: `pool-${++pools}`, name: `Pool ${pools}` });
    for (const item of existing) {
      em.create(InventoryItem, { pool, email: item.email, secretEncrypted: box.encrypt(item.password) });
    }
    await em.flush();
    return pool;
  };
  const items = (poolId: string) =>
    db.orm.em.fork().find(InventoryItem, { pool: poolId }, { orderBy: { createdAt: 'asc', email: 'asc' } });
  const restockJobs = (poolId: string) =>
    db.orm.em.fork().execute<{ identifier: string; payload: unknown }[]>(
      `select t.identifier, j.payload from graphile_worker._private_jobs j
           join graphile_worker._private_tasks t on t.id = j.task_id where j.key = ?`,
      [`inventory_restocked:${poolId}`],
    );
  const run = (slug: string, csv: string | Readable, preview = false) =>
    importInventoryCsv(db.orm.em.fork(), csv, { poolSlug: slug, box, preview });

  it('imports every account as available, in file order, with only the encrypted password stored', async () => {
    const pool = await createPool();
    const result = await run(
      pool.slug,
      'email,password,notes\naccount1@outlook.com,Pass123!,Production\nAccount2@Outlook.com,"Pass,456!",\n',
    );
    expect(result).toEqual({
      pool: { id: pool.id, slug: pool.slug },
      preview: false,
      imported: 2,
      skippedDuplicates: [],
      errors: [],
    });
    const stored = await items(pool.id);
    expect(stored.map((item) => [item.email, item.status, item.notes])).toEqual([
      ['account1@outlook.com', 'available', 'Production'],
      ['account2@outlook.com', 'available', null],
    ]);
    expect(stored.map((item) => box.decrypt(item.secretEncrypted))).toEqual(['Pass123!', 'Pass,456!']);
    expect(stored.every((item) => !item.secretEncrypted.includes('Pass'))).toBe(true);
  });

  it('enqueues the restock job and writes the activity log with the accounts', async () => {
    const pool = await createPool();
    await run(pool.slug, 'email,password\na@example.com,p1\n');
    expect(await restockJobs(pool.id)).toEqual([{ identifier: 'inventory_restocked', payload: { poolId: pool.id } }]);
    const [log] = await db.orm.em.fork().find(ActivityLog, { subjectType: 'inventory_pool', subjectId: pool.id });
    expect(log).toMatchObject({ action: 'inventory.imported', actorType: 'system', properties: { imported: 1 } });
  });

  it('imports nothing when one row is bad, and reports that row by its line', async () => {
    const pool = await createPool();
    const result = await run(
      pool.slug,
      'email,password,notes\na@example.com,p1,\nnot-an-email,p2,\nc@example.com,p3,\n',
    );
    expect(result.imported).toBe(0);
    expect(result.errors).toEqual([{ line: 3, message: 'email is not a valid email address' }]);
    expect(await items(pool.id)).toEqual([]);
    expect(await restockJobs(pool.id)).toEqual([]);
  });

  it('rolls back batches already written when a bad row comes late in a large streamed file', async () => {
    const pool = await createPool();
    const lines = Array.from({ length: 1200 }, (_, i) => (i === 1100 ? 'broken,' : `user${i}@example.com,pw${i}`));
    const stream = Readable.from(['email,password\n', ...lines.map((line) => `${line}\n`)]);
    const result = await run(pool.slug, stream);
    expect(result.errors).toEqual([{ line: 1102, message: 'email is not a valid email address; password is empty' }]);
    expect(result.imported).toBe(0);
    expect(await items(pool.id)).toEqual([]);
  });

  it('imports a large streamed file across batches', async () => {
    const pool = await createPool();
    const lines = Array.from({ length: 1200 }, (_, i) => `user${i}@example.com,pw${i}\n`);
    const result = await run(pool.slug, Readable.from(['email,password\n', ...lines]));
    expect(result).toMatchObject({ imported: 1200, errors: [], skippedDuplicates: [] });
    const stored = await items(pool.id);
    expect(stored).toHaveLength(1200);
    expect(stored[0]?.email).toBe('user0@example.com');
    expect(stored[1199]?.email).toBe('user1199@example.com');
  });

  it('skips and reports accounts repeated in the file or already in the pool, importing the rest', async () => {
    const pool = await createPool([{ email: 'Old@Example.com', password: 'old-password' }]);
    const result = await run(
      pool.slug,
      'email,password\nnew@example.com,p1\nold@example.com,p2\nNEW@example.com,p3\nother@example.com,p4\n',
    );
    expect(result).toMatchObject({
      imported: 2,
      errors: [],
      skippedDuplicates: [
        { line: 3, email: 'old@example.com', reason: 'already in pool' },
        { line: 4, email: 'new@example.com', reason: 'repeated in file' },
      ],
    });
    const stored = await items(pool.id);
    expect(stored.map((item) => item.email).sort()).toEqual([
      'Old@Example.com',
      'new@example.com',
      'other@example.com',
    ]);
    const old = stored.find((item) => item.email === 'Old@Example.com');
    expect(old && box.decrypt(old.secretEncrypted)).toBe('old-password');
    expect(await restockJobs(pool.id)).toHaveLength(1);
  });

  it('enqueues no restock job when every account was already there', async () => {
    const pool = await createPool([{ email: 'a@example.com', password: 'p' }]);
    const result = await run(pool.slug, 'email,password\na@example.com,p\n');
    expect(result).toMatchObject({
      imported: 0,
      errors: [],
      skippedDuplicates: [{ line: 2, reason: 'already in pool' }],
    });
    expect(await restockJobs(pool.id)).toEqual([]);
  });

  it('refuses a file with the wrong header with a clear error, importing nothing', async () => {
    const pool = await createPool();
    const result = await run(pool.slug, 'user,pass\na@example.com,p1\n');
    expect(result.errors).toEqual([
      {
        line: 1,
        message:
          'the header must be email,password,notes (notes may be left out), found "user,pass" (missing email, password; unknown "user", "pass")',
      },
    ]);
    expect(await items(pool.id)).toEqual([]);
  });

  it('previews an import: the same report, nothing written and no job', async () => {
    const pool = await createPool([{ email: 'old@example.com', password: 'p' }]);
    const result = await run(pool.slug, 'email,password\nnew@example.com,p1\nold@example.com,p2\n', true);
    expect(result).toMatchObject({
      preview: true,
      imported: 1,
      errors: [],
      skippedDuplicates: [{ line: 3, email: 'old@example.com', reason: 'already in pool' }],
    });
    expect((await items(pool.id)).map((item) => item.email)).toEqual(['old@example.com']);
    expect(await restockJobs(pool.id)).toEqual([]);
  });

  it('names an unknown pool', async () => {
    await expect(run('no-such-pool', 'email,password\n')).rejects.toThrow(
      new NotFoundError('There is no inventory pool "no-such-pool"'),
    );
  });
});
