import { Notification, OutboxMessage, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { describe, expect, it } from 'vitest';
import { notifyInApp, queueMessage } from '../src';

describe('outbox and in-app notifications', () => {
  const db = useTestDatabase();

  it('queues a message with its delivery job in the same transaction', async () => {
    const message = await db.orm.em.fork().transactional((em) =>
      queueMessage(em, {
        channel: 'email',
        recipient: 'customer@example.com',
        template: 'fulfillment_failed',
        subject: 'We could not complete your order',
        body: 'Our team has been alerted.',
      }),
    );
    const em = db.orm.em.fork();
    expect(await em.count(OutboxMessage, { id: message.id, status: 'pending' })).toBe(1);
    const jobs = await em.execute<{ task_identifier: string; payload: unknown; key: string }[]>(
      `select t.identifier as task_identifier, j.payload, j.key
         from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id`,
    );
    expect(jobs).toEqual([
      { task_identifier: 'send_outbox', payload: { messageId: message.id }, key: `outbox:${message.id}` },
    ]);
  });

  it('writes in-app notifications for a user', async () => {
    const em = db.orm.em.fork();
    const user = em.create(User, { email: 'n@example.com' });
    await em.flush();
    notifyInApp(em, { userId: user.id, type: 'order_status_change', title: 'Order completed', message: 'Done.' });
    await em.flush();
    const [notice] = await db.orm.em.fork().find(Notification, { user: user.id });
    expect(notice).toMatchObject({ type: 'order_status_change', title: 'Order completed', readAt: null });
  });
});
