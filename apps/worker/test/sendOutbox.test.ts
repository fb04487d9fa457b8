import { queueMessage, systemClock } from '@handover/core';
import { OutboxMessage } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import type { ManagedProcess } from '@handover/scripts/processes';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../src/config';
import { createSmtpSender } from '../src/email/smtpSender';
import { createNodeId, type RunningWorker, startWorker } from '../src/runner';
import type { MessageSender } from '../src/tasks/send_outbox';
import { sendOutbox } from '../src/tasks/send_outbox';
import { startSandboxProcess } from './support/sandboxProcess';

interface SandboxMail {
  to: string[];
  cc: string[];
  subject: string;
  text: string;
}

async function until<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not met in time');
}

describe('send_outbox: email through SMTP to the sandbox', () => {
  const db = useTestDatabase();
  let sandbox: ManagedProcess;
  let sandboxUrl: string;
  let worker: RunningWorker;
  let email: MessageSender | undefined;

  const control = (path: string, init?: RequestInit) => fetch(`${sandboxUrl}/_control${path}`, init);
  const mailTo = async (address: string) =>
    ((await (await control(`/mail?to=${encodeURIComponent(address)}`)).json()) as { messages: SandboxMail[] }).messages;
  const queue = (message: Parameters<typeof queueMessage>[1]) =>
    db.orm.em.fork().transactional((em) => queueMessage(em, message));
  const row = (id: string) => db.orm.em.fork().findOneOrFail(OutboxMessage, id);

  beforeAll(async () => {
    const started = await startSandboxProcess();
    sandbox = started.process;
    sandboxUrl = started.url;
    const smtpPort = started.smtpPort;

    const config = loadWorkerConfig({
      DATABASE_URL: db.url,
      HANDOVER_ENCRYPTION_KEYS: `k1=${Buffer.alloc(32, 1).toString('base64')}`,
      WORKER_POLL_INTERVAL_MS: '100',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      SMTP_FROM: 'Handover <no-reply@handover.test>',
      SUPPORT_EMAIL: 'support@handover.test',
    });
    email = createSmtpSender(config.smtp);
    worker = await startWorker({
      nodeId: createNodeId(),
      config,
      orm: db.orm,
      clock: systemClock,
      logger: pino({ level: 'silent' }),
      taskList: { send_outbox: sendOutbox({ orm: db.orm, clock: systemClock, senders: { email } }) },
      cronItems: [],
    });
  });
  afterAll(async () => {
    await worker?.stop();
    email?.close();
    await sandbox?.stop();
  });

  it('delivers a queued email with its copy, and marks the message sent', async () => {
    const message = await queue({
      channel: 'email',
      recipient: 'ama@example.com',
      template: 'welcome',
      subject: 'Welcome to Handover',
      body: 'Your account is ready: http://localhost:5173/orders',
      data: { cc: ['support@handover.test'] },
    });
    const [mail] = await until(async () => {
      const mails = await mailTo('ama@example.com');
      return mails.length > 0 && mails;
    });
    expect(mail).toMatchObject({ subject: 'Welcome to Handover', cc: ['support@handover.test'] });
    expect(mail?.text).toContain('http://localhost:5173/orders');
    // From a no-reply address, every email says where people are, and a reply reaches them.
    expect(mail?.text).toContain('Questions? Write to support@handover.test');
    const sent = await until(async () => {
      const current = await row(message.id);
      return current.status === 'sent' && current;
    });
    expect(sent).toMatchObject({ attempts: 1, lastError: null });
    expect(sent.providerMessageId).toMatch(/@/);
  });

  it('retries after a temporary SMTP refusal (451) and then delivers', async () => {
    await control('/mail/fault', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ responseCode: 451, message: 'Try again later', remaining: 1 }),
    });
    const message = await queue({
      channel: 'email',
      recipient: 'retry@example.com',
      template: 'welcome',
      subject: 'Hello',
      body: 'Hello',
    });
    const sent = await until(async () => {
      const current = await row(message.id);
      return current.status === 'sent' && current;
    });
    expect(sent.attempts).toBe(2);
    expect(await mailTo('retry@example.com')).toHaveLength(1);
  });

  it('gives up on a permanent refusal (550), keeps the reason, and blanks a reset link body', async () => {
    await control('/mail/fault', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ responseCode: 550, message: 'Mailbox unavailable', remaining: 1 }),
    });
    const message = await queue({
      channel: 'email',
      recipient: 'gone@example.com',
      template: 'password_reset',
      subject: 'Reset',
      body: 'http://localhost:5173/reset-password?token=secret-token',
      data: { sensitive: true },
    });
    const failed = await until(async () => {
      const current = await row(message.id);
      return current.status === 'failed' && current;
    });
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toContain('Mailbox unavailable');
    expect(failed.body).not.toContain('secret-token');
    expect(await mailTo('gone@example.com')).toEqual([]);
  });

  it('removes a delivered reset link from the outbox once it is sent', async () => {
    const message = await queue({
      channel: 'email',
      recipient: 'reset@example.com',
      template: 'password_reset',
      subject: 'Reset',
      body: 'http://localhost:5173/reset-password?token=another-secret',
      data: { sensitive: true },
    });
    const sent = await until(async () => {
      const current = await row(message.id);
      return current.status === 'sent' && current;
    });
    expect(sent.body).not.toContain('another-secret');
    const [mail] = await mailTo('reset@example.com');
    expect(mail?.text).toContain('token=another-secret');
  });

  it('leaves an SMS untouched: this worker has no SMS provider', async () => {
    const message = await queue({
      channel: 'sms',
      recipient: '+233241234567',
      template: 'bundle_delivered',
      body: 'Hi',
    });
    await until(async () => {
      const [job] = await db.orm.em
        .fork()
        .execute<{ n: string }[]>(`select count(*) as n from graphile_worker._private_jobs where key = ?`, [
          `outbox:${message.id}`,
        ]);
      return Number(job?.n) === 0;
    });
    expect(await row(message.id)).toMatchObject({ status: 'pending', attempts: 0 });
  });
});
