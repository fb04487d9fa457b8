import { randomUUID } from 'node:crypto';
import { ActivityLog, Notification, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { describe, expect, it } from 'vitest';
import { addJob, jobSpec, ormSql, WriteBatch } from '../src';
import { jobsOf } from './paymentFixtures';

describe('WriteBatch: independent writes in one statement', () => {
  const db = useTestDatabase();
  const em = () => db.orm.em.fork();

  it('inserts parents and children together, leaves omitted columns to their defaults, and stores JSON', async () => {
    const userId = randomUUID();
    await em().transactional(async (tem) => {
      await new WriteBatch()
        .insert('notifications', [
          { id: randomUUID(), user_id: userId, type: 'note', title: 'First', message: 'Hi', data: { list: [1, 2] } },
        ])
        .insert('users', [{ id: userId, email: 'batch@example.com', role: 'customer' }])
        .insert('activity_logs', [
          { action: 'a.one', subject_type: 'user', subject_id: userId, actor_type: 'system', properties: ['x'] },
          { action: 'a.two', subject_type: 'user', subject_id: userId, actor_type: 'system', properties: {} },
        ])
        .execute(tem);
    });
    expect(await em().findOneOrFail(User, userId)).toMatchObject({ email: 'batch@example.com', failedLoginCount: 0 });
    const [notice] = await em().find(Notification, { user: userId });
    expect(notice?.data).toEqual({ list: [1, 2] });
    const logs = await em().find(ActivityLog, { subjectId: userId }, { orderBy: { action: 'asc' } });
    expect(logs.map((log) => [log.action, log.description, log.properties])).toEqual([
      ['a.one', '', ['x']],
      ['a.two', '', {}],
    ]);
  });

  it('adds jobs exactly as addJob does, so a key added twice is one job', async () => {
    const recordId = randomUUID();
    await em().transactional((tem) => new WriteBatch().jobs([jobSpec('fulfill', { recordId })]).execute(tem));
    await em().transactional((tem) => addJob(tem, jobSpec('fulfill', { recordId })));
    const jobs = (await jobsOf(em(), 'fulfill')).filter((job) => job.payload.recordId === recordId);
    expect(jobs).toEqual([expect.objectContaining({ key: `fulfill:${recordId}`, payload: { recordId } })]);
  });

  it('runs its writes on one snapshot: an update does not see a row inserted beside it', async () => {
    const userId = randomUUID();
    await em().transactional((tem) =>
      new WriteBatch()
        .insert('users', [{ id: userId, email: 'snapshot@example.com', role: 'customer' }])
        .write('update users set name = ? where id = ? returning 1', ['Batched', userId])
        .execute(tem),
    );
    expect(await em().findOneOrFail(User, userId)).toMatchObject({ name: null });
  });

  it('writes nothing when one write fails: it is one statement', async () => {
    const userId = randomUUID();
    const failed = await em()
      .transactional((tem) =>
        new WriteBatch()
          .insert('users', [{ id: userId, email: 'half@example.com', role: 'customer' }])
          .insert('notifications', [
            { id: randomUUID(), user_id: randomUUID(), type: 'note', title: 'Orphan', message: 'No such user' },
          ])
          .execute(tem),
      )
      .catch((error: unknown) => error);
    expect(String(failed)).toMatch(/foreign key/);
    expect(await em().count(User, { id: userId })).toBe(0);
  });

  it('sent guarded, writes nothing unless its leading update changed a row, and casts each value to its column', async () => {
    const userId = randomUUID();
    await em().transactional((tem) =>
      new WriteBatch().insert('users', [{ id: userId, email: 'guarded@example.com', role: 'customer' }]).execute(tem),
    );
    const batch = () =>
      new WriteBatch()
        .insert('notifications', [
          {
            id: randomUUID(),
            user_id: userId,
            type: 'note',
            title: 'Guarded',
            message: 'Hi',
            data: { n: 1 },
            created_at: new Date('2026-03-01T10:00:00Z'),
          },
        ])
        .jobs([jobSpec('send_outbox', { messageId: randomUUID() })]);
    const lead = (name: string) => ({
      sql: "update users set name = ? where id = ? and role = 'customer' returning id",
      params: [name, userId],
    });
    const sql = ormSql(em());
    expect(batch().canGuard).toBe(true);

    // The lead finds nothing: nothing else is written.
    expect(
      await batch().executeGuarded(sql, {
        sql: 'update users set name = ? where id = ? returning id',
        params: ['x', randomUUID()],
      }),
    ).toBe(0);
    expect(await em().count(Notification, { user: userId })).toBe(0);

    expect(await batch().executeGuarded(sql, lead('Ama'))).toBe(1);
    const [notice] = await em().find(Notification, { user: userId });
    expect(notice).toMatchObject({ title: 'Guarded', data: { n: 1 }, createdAt: new Date('2026-03-01T10:00:00Z') });
    expect(await em().findOneOrFail(User, userId)).toMatchObject({ name: 'Ama' });
  });

  it('cannot be sent guarded with a write that has no guarded form', () => {
    expect(new WriteBatch().write('update users set name = null returning 1', []).canGuard).toBe(false);
  });
});
