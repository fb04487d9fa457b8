import { randomUUID } from 'node:crypto';
import { ActivityLog } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { Logger, run } from 'graphile-worker';
import { describe, expect, it } from 'vitest';
import { addJob, jobSpec } from '../src';

const silent = new Logger(() => () => {});

describe('addJob (transactional enqueue)', () => {
  const db = useTestDatabase();

  it('runs a job added in a committed transaction, and never one from a rolled-back transaction', async () => {
    const ran: string[] = [];
    const committed = randomUUID();
    let resolveCommitted: () => void = () => {};
    const committedRan = new Promise<void>((resolve) => {
      resolveCommitted = resolve;
    });

    await db.orm.em.fork().transactional(async (em) => {
      em.create(ActivityLog, { action: 'test.committed', subjectType: 'test', subjectId: 'committed' });
      await addJob(em, jobSpec('send_outbox', { messageId: committed }));
    });
    await expect(
      db.orm.em.fork().transactional(async (em) => {
        em.create(ActivityLog, { action: 'test.rolled_back', subjectType: 'test', subjectId: 'rolled-back' });
        await addJob(em, jobSpec('send_outbox', { messageId: randomUUID() }));
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
        send_outbox: async (payload) => {
          ran.push(payload.messageId);
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

    expect(ran).toEqual([committed]);
    const rows = await db.orm.em.fork().execute(`select count(*)::int as n from graphile_worker.jobs`);
    expect(rows[0]).toEqual({ n: 0 });
    const logs = await db.orm.em.fork().find(ActivityLog, {}, { orderBy: { id: 'asc' } });
    expect(logs.map((l) => l.action)).toEqual(['test.committed']);
  });

  it('deduplicates by job key: a second add with the same key replaces the pending job', async () => {
    const em = db.orm.em.fork();
    const recordId = randomUUID();
    const second = new Date(Date.now() + 120_000);
    await em.transactional(async (tem) => {
      await addJob(tem, jobSpec('fulfill', { recordId }, { runAt: new Date(Date.now() + 60_000) }));
      await addJob(tem, jobSpec('fulfill', { recordId }, { runAt: second }));
    });
    const jobs = await em.execute<{ key: string; run_at: string }[]>(
      `select key, run_at from graphile_worker._private_jobs where payload->>'recordId' = ?`,
      [recordId],
    );
    expect(jobs.map((j) => [j.key, new Date(j.run_at).getTime()])).toEqual([[`fulfill:${recordId}`, second.getTime()]]);
  });

  it("adds a new row's job with its key, so a later add with that key still replaces it", async () => {
    const em = db.orm.em.fork();
    const messageId = randomUUID();
    const later = new Date(Date.now() + 120_000);
    await em.transactional((tem) =>
      addJob(tem, jobSpec('send_outbox', { messageId }, { newRow: true, runAt: new Date(Date.now() + 60_000) })),
    );
    await em.transactional((tem) => addJob(tem, jobSpec('send_outbox', { messageId }, { runAt: later })));
    const jobs = await em.execute<{ run_at: string }[]>(
      // Every job of the message, keyed or not: a job that lost its key would show up here twice.
      `select j.run_at from graphile_worker._private_jobs j
         join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier = 'send_outbox' and j.payload->>'messageId' = ?`,
      [messageId],
    );
    expect(jobs.map((j) => new Date(j.run_at).getTime())).toEqual([later.getTime()]);
  });
});
