import { describe, expect, it } from 'vitest';
import { migrate, openOrm } from '../src';
import { useTestDatabase } from '../src/vitest';

describe('migrations', () => {
  const db = useTestDatabase();

  it('leave nothing for the model to add: every entity change has its committed migration', async () => {
    const orm = await openOrm({ url: db.url, poolMax: 2 });
    try {
      const needed = await orm.getMigrator().checkMigrationNeeded();
      expect(needed).toBe(false);
    } finally {
      await orm.close(true);
    }
  });

  it('apply nothing twice: migrating a migrated database is a no-op', async () => {
    const { applied } = await migrate(db.url);
    expect(applied).toEqual([]);
  });

  it("install graphile-worker's queue beside the model", async () => {
    const rows = await db.orm.em.fork().execute(`select to_regproc('graphile_worker.add_job') is not null as present`);
    expect(rows[0]).toEqual({ present: true });
  });
});
