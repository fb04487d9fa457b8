import { ActivityLog } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { Logger, run } from 'graphile-worker';
import { describe, expect, it } from 'vitest';
import { addJob, forNewRow } from '../src';

const silent = new Logger(() => () => {});

describe('addJob (transactional enqueue)', () => {
  const db = useTestDatabase();

  it('runs a job added in a committed transaction, and never one from a rolled-back transaction', async () => {
    const ran: string[] = [];
    let resolveCommitted: () => void = () => {};
    const committedRan = new Promise<void>((resolve) => {
      resolveCommitted = resolve;
    });

    await db.orm.em.fork().transactional(async (em) => {
      em.create(ActivityLog, { action: 'test.committed', subjectType: 'test', subjectId: 'committed' });
      await addJob(em, { task: 'record', payload: { tag: 'committed' } });
    });
    await expect(
      db.orm.em.fork().transactional(async (em) => {
        em.create(ActivityLog, { action: 'test.rolled_back', subjectType: 'test', subjectId: 'rolled-back' });
        await addJob(em, { task: 'record', payload: { tag: 'rolled-back' } });
        throw new Error('abort the transaction');
      }),
    ).rejects.toThrow('abort the transaction');

    const runner = await run({
      connectionString: db.url,
      concurrency: 2,
      noHandleSignals: true,
      pollInterval: 100,
      logger: silent,
      taskList: {
        record: async (payload) => {
          ran.push((payload as { tag: string }).tag);
          resolveCommitted();
        },
      },
    });
    try {
      await committedRan;
      // Give a wrongly-committed second job every chance to be picked up too.
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await runner.stop();
    }

    expect(ran).toEqual(['committed']);
    const rows = await db.orm.em.fork().execute(`select count(*)::int as n from graphile_worker.jobs`);
    expect(rows[0]).toEqual({ n: 0 });
    const logs = await db.orm.em.fork().find(ActivityLog, {}, { orderBy: { id: 'asc' } });
    expect(logs.map((l) => l.action)).toEqual(['test.committed']);
  });

  it('deduplicates by job key: a second add with the same key replaces the pending job', async () => {
    const em = db.orm.em.fork();
    await em.transactional(async (tem) => {
      await addJob(tem, { task: 'noop', payload: { n: 1 }, jobKey: 'same-key', runAt: new Date(Date.now() + 60_000) });
      await addJob(tem, { task: 'noop', payload: { n: 2 }, jobKey: 'same-key', runAt: new Date(Date.now() + 60_000) });
    });
    const jobs = await em.execute<{ payload: { n: number } }[]>(
      `select payload from graphile_worker._private_jobs where key = 'same-key'`,
    );
    expect(jobs).toEqual([{ payload: { n: 2 } }]);
  });

  it("adds a new row's job with its key, so a later add with that key still replaces it", async () => {
    const em = db.orm.em.fork();
    const later = new Date(Date.now() + 60_000);
    await em.transactional((tem) =>
      addJob(tem, forNewRow({ task: 'new_row', payload: { n: 1 }, jobKey: 'new-row', runAt: later })),
    );
    await em.transactional((tem) =>
      addJob(tem, { task: 'new_row', payload: { n: 2 }, jobKey: 'new-row', runAt: later }),
    );
    const jobs = await em.execute<{ payload: { n: number } }[]>(
      // Every job of the task, keyed or not: a job that lost its key would show up here twice.
      `select j.payload from graphile_worker._private_jobs j
         join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'new_row'`,
    );
    expect(jobs).toEqual([{ payload: { n: 2 } }]);
  });
});
