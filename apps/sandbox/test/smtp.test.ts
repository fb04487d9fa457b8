import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Mailbox } from '../src/mail/mailbox';
import { type SmtpEmulator, startSmtpEmulator } from '../src/mail/smtpServer';
import { createSandbox } from '../src/sandbox';

describe('SMTP emulator', () => {
  const mailbox = new Mailbox();
  let app: FastifyInstance;
  let smtp: SmtpEmulator;
  let base: string;
  const send = (mail: SendMailOptions, auth?: { user: string; pass: string }) =>
    nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        ignoreTLS: true,
        ...(auth ? { auth } : {}),
      })
      .sendMail(mail);

  beforeAll(async () => {
    app = await createSandbox({ emulators: [], publicUrl: 'http://sandbox.test', mailbox });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    smtp = await startSmtpEmulator({ mailbox, host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await smtp?.close();
    await app?.close();
  });
  beforeEach(async () => {
    await fetch(`${base}/_control/reset`, { method: 'POST' });
  });

  it('accepts mail over SMTP and lists it, newest first, through the control API', async () => {
    await send({ from: 'shop@handover.test', to: 'a@example.com', subject: 'First', text: 'one' });
    await send(
      { from: 'shop@handover.test', to: 'b@example.com', cc: 'support@handover.test', subject: 'Second', text: 'two' },
      { user: 'mailer', pass: 'pw' },
    );
    const all = (await (await fetch(`${base}/_control/mail`)).json()) as { messages: { subject: string }[] };
    expect(all.messages.map((m) => m.subject)).toEqual(['Second', 'First']);
    const forB = (await (await fetch(`${base}/_control/mail?to=B@example.com`)).json()) as {
      messages: { to: string[]; cc: string[]; text: string; authUser: string | null }[];
    };
    expect(forB.messages).toEqual([
      expect.objectContaining({ to: ['b@example.com'], cc: ['support@handover.test'], authUser: 'mailer' }),
    ]);
    expect(forB.messages[0]?.text.trim()).toBe('two');
  });

  it('shows the mails on a page with their links clickable and their text escaped', async () => {
    await send({
      from: 'shop@handover.test',
      to: 'c@example.com',
      subject: 'Reset <your> password',
      text: 'Open http://localhost:5173/reset-password?token=abc_123 to continue.',
    });
    const page = await (await fetch(`${base}/mail`)).text();
    expect(page).toContain(
      '<a href="http://localhost:5173/reset-password?token=abc_123">http://localhost:5173/reset-password?token=abc_123</a>',
    );
    expect(page).toContain('Reset &#60;your&#62; password');
  });

  it('answers an injected SMTP error for the next messages, then accepts again', async () => {
    const set = await fetch(`${base}/_control/mail/fault`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ responseCode: 451, remaining: 1 }),
    });
    expect(set.status).toBe(200);
    await expect(send({ from: 'x@handover.test', to: 'd@example.com', text: 'x' })).rejects.toMatchObject({
      responseCode: 451,
    });
    await send({ from: 'x@handover.test', to: 'd@example.com', text: 'y' });
    const mails = (await (await fetch(`${base}/_control/mail?to=d@example.com`)).json()) as { messages: unknown[] };
    expect(mails.messages).toHaveLength(1);
  });
});
