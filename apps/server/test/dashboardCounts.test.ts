import { getDashboard } from '@handover/core';
import { useTestDatabase } from '@handover/db/vitest';
import { fillScaleData } from '@handover/scripts/scaleData';
import { beforeAll, describe, expect, it } from 'vitest';

const END = new Date('2026-11-21T00:00:00Z');

describe('dashboard record counts', () => {
  const db = useTestDatabase();
  let actual: Map<string, number>;

  beforeAll(async () => {
    await fillScaleData(db.url, { orders: 3000, logs: 100, days: 10, end: END });
    const em = db.orm.em.fork();
    await em.execute('analyze fulfillment_records');
    const rows = await em.execute<{ status: string; n: number }[]>(
      'select status, count(*)::int as n from fulfillment_records group by status',
    );
    actual = new Map(rows.map((row) => [row.status, row.n]));
  });

  it('counts every status exactly while the numbers are small', async () => {
    const dashboard = await getDashboard(db.orm.em.fork(), END);
    expect(dashboard.recordsByStatus.every((row) => !row.approximate)).toBe(true);
    expect(new Map(dashboard.recordsByStatus.map((row) => [row.status, row.count]))).toEqual(actual);
    // In the order of a record's life, not the alphabet's.
    expect(dashboard.recordsByStatus.map((row) => row.status).indexOf('completed')).toBeLessThan(
      dashboard.recordsByStatus.map((row) => row.status).indexOf('failed'),
    );
  });

  it("shows the planner's estimate, marked as such, for a status past the exact limit", async () => {
    const exactUpTo = 200;
    const dashboard = await getDashboard(db.orm.em.fork(), END, { exactUpTo });
    for (const row of dashboard.recordsByStatus) {
      const count = actual.get(row.status) ?? 0;
      if (count <= exactUpTo) {
        expect(row).toEqual({ status: row.status, count, approximate: false });
      } else {
        expect(row.approximate).toBe(true);
        expect(row.count).toBeGreaterThan(exactUpTo);
        // Statistics sample the table: close to the truth, not equal to it.
        expect(Math.abs(row.count - count) / count).toBeLessThan(0.1);
      }
    }
    expect(dashboard.recordsByStatus.filter((row) => row.approximate).map((row) => row.status)).toContain('completed');
  });
});
