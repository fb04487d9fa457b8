import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@handover/db/testing';
import { useTestDatabase } from '@handover/db/vitest';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../lib/backup';
import { fillScaleData } from '../lib/scaleData';

const query = async <T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
};

describe('db:backup and db:restore', () => {
  const source = useTestDatabase({ poolMax: 2 });
  const dir = mkdtempSync(join(tmpdir(), 'handover-backup-'));
  let target: TestDatabase | undefined;
  afterAll(async () => {
    await target?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores a backup into a fresh database with every order, its rows and the job queue', async () => {
    await fillScaleData(source.url, { orders: 300, logs: 200, days: 10 });
    await query(source.url, `select graphile_worker.add_job('reconcile_records', '{}'::json, job_key => 'kept')`);
    const file = join(dir, 'handover.dump.gz');
    const { tables } = await backupDatabase(source.url, file);
    expect(tables).toBeGreaterThan(20);

    // An empty database, as `createdb` leaves it.
    target = await createTestDatabase(inject('testPostgres').adminUrl, 'template0');
    await restoreDatabase(target.url, file);

    const orders = `select id, order_code, amount_minor, fulfillment_status, paid_at from orders order by id`;
    const restored = await query(target.url, orders);
    expect(restored).toHaveLength(300);
    expect(restored).toEqual(await query(source.url, orders));
    for (const table of ['order_items', 'payments', 'fulfillment_records', 'fulfillment_logs', 'users']) {
      const count = `select count(*)::int as n from ${table}`;
      expect(await query(target.url, count), table).toEqual(await query(source.url, count));
    }
    expect(await query(target.url, `select task_identifier from graphile_worker.jobs where key = 'kept'`)).toEqual([
      { task_identifier: 'reconcile_records' },
    ]);
    // Sequences continue after the restored rows: a new job gets a fresh id.
    await query(target.url, `select graphile_worker.add_job('reconcile_records', '{}'::json)`);

    // A second restore into a database that is no longer empty is refused.
    await expect(restoreDatabase(target.url, file)).rejects.toThrow(/not empty/);
  });
});
