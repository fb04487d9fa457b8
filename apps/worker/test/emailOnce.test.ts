import { queueMessage, withCorrelation } from '@handover/core';
import { OutboxMessage } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { type Stack, startStack } from '@handover/scripts/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './support/fixtures';

interface SandboxMail {
  id: number;
  messageId: string | null;
  duplicateOf: number | null;
  correlationId: string | null;
  subject: string;
}

/**
 * One completion email once went out twice when the worker was killed between sending it
 * and recording the send. The attempt is now recorded before the message is handed over, every
 * attempt carries the outbox row's one Message-ID, and a send after an unrecorded one is counted.
 */
describe('an email whose worker is killed between sending and recording', () => {
  const db = useTestDatabase();
  let stack: Stack;
  const sandbox = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${stack.sandboxUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const mailTo = async (address: string) =>
    ((await (await sandbox(`/_control/mail?to=${encodeURIComponent(address)}`)).json()) as { messages: SandboxMail[] })
      .messages;
  const row = (id: string) => db.orm.em.fork().findOneOrFail(OutboxMessage, id);

  beforeAll(async () => {
    stack = await startStack({
      databaseUrl: db.url,
      workerEnv: { WORKER_HEARTBEAT_MS: '200', WORKER_STALE_AFTER_MS: '1500' },
    });
  });
  afterAll(() => stack?.stop());

  it('sends it again under the same Message-ID and correlation id, and counts the possible duplicate', async () => {
    await stack.startWorker();
    // The relay keeps the message and answers only 4 s later: the worker is killed in between.
    await sandbox('/_control/mail/fault', 'PUT', { delayReplyMs: 4_000, remaining: 1 });
    const message = await withCorrelation('req-email-once-1', () =>
      db.orm.em.fork().transactional((em) =>
        queueMessage(em, {
          channel: 'email',
          recipient: 'once@example.com',
          template: 'fulfillment_completed',
          subject: 'Your order is ready',
          body: 'Everything you ordered is set up.',
        }),
      ),
    );
    await until(async () => (await mailTo('once@example.com')).length === 1, { what: 'the relay holding the mail' });
    const sending = await row(message.id);
    expect(sending.status).toBe('pending');
    expect(sending.sendStartedAt).not.toBeNull();
    await stack.process('worker')?.kill();

    await stack.startWorker();
    const sent = await until(
      async () => {
        const current = await row(message.id);
        return current.status === 'sent' && current;
      },
      { what: 'the message sent by the new worker' },
    );
    expect(sent).toMatchObject({ uncertainSends: 1, sendStartedAt: null });

    const mails = await mailTo('once@example.com');
    expect(mails).toHaveLength(2);
    const messageId = `<outbox-${message.id}@handover.test>`;
    expect(mails.map((m) => m.messageId)).toEqual([messageId, messageId]);
    const [resent, first] = mails;
    expect(resent?.duplicateOf).toBe(first?.id);
    expect(mails.map((m) => m.correlationId)).toEqual(['req-email-once-1', 'req-email-once-1']);

    const metrics = await (
      await fetch(`${stack.workerOpsUrl('worker')}/metrics`, {
        headers: { authorization: `Bearer ${stack.keys.metricsToken}` },
      })
    ).text();
    expect(metrics).toMatch(/handover_outbox_resends_total\{[^}]*channel="email"[^}]*\} 1/);
  });

  it('sends a message once when nothing stops the worker, with no resend counted', async () => {
    const message = await db.orm.em.fork().transactional((em) =>
      queueMessage(em, {
        channel: 'email',
        recipient: 'plain@example.com',
        template: 'welcome',
        subject: 'Welcome',
        body: 'Hello',
      }),
    );
    const sent = await until(async () => {
      const current = await row(message.id);
      return current.status === 'sent' && current;
    });
    expect(sent.uncertainSends).toBe(0);
    const mails = await mailTo('plain@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.duplicateOf).toBeNull();
  });
});
