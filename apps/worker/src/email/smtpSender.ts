import { CORRELATION_HEADER, currentCorrelationId, PermanentError, TransientError } from '@handover/core';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import type { SmtpSettings } from '../config';
import type { MessageSender } from '../tasks/send_outbox';

const messageData = z.object({ cc: z.array(z.email()).optional() });

/** Errors nodemailer raises for the connection rather than the message: worth another try. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROTOCOL', 'ESTREAM']);

/**
 * The last lines of every email: who to write to. The From is a no-reply address, so without a
 * support address the customer is told not to reply rather than left writing to nobody.
 */
export function emailFooter(supportEmail: string | null): string {
  return supportEmail
    ? `Questions? Write to ${supportEmail}; replying to this email reaches the same people.`
    : 'This address does not take replies. Your order page in your account has every detail.';
}

/**
 * Email over SMTP through nodemailer: the sandbox's emulator in dev and tests, a real relay in
 * production. Each outbox row has one Message-ID, the same on every attempt, so a message sent
 * again after a crash is one message to the recipient's mailbox; its correlation id rides along.
 */
export function createSmtpSender(settings: SmtpSettings): MessageSender {
  const domain = /@([^>\s]+)>?\s*$/.exec(settings.from)?.[1] ?? 'handover.localhost';
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.auth ? { auth: settings.auth } : {}),
    // A few connections kept open and reused: a message costs its own commands, not a new
    // connection, greeting and handshake each.
    pool: true,
    maxConnections: 3,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      const data = messageData.safeParse(message.data);
      const correlationId = currentCorrelationId();
      try {
        const info = await transport.sendMail({
          from: settings.from,
          to: message.recipient,
          cc: data.success ? data.data.cc : undefined,
          ...(settings.supportEmail ? { replyTo: settings.supportEmail } : {}),
          subject: message.subject ?? '',
          text: `${message.body}\n\n--\n${emailFooter(settings.supportEmail)}`,
          messageId: outboxMessageId(message.id, domain),
          headers: {
            'X-Handover-Outbox-Id': message.id,
            ...(correlationId ? { [CORRELATION_HEADER]: correlationId } : {}),
          },
        });
        return { providerMessageId: info.messageId };
      } catch (error) {
        throw classify(error);
      }
    },
    close: () => transport.close(),
  };
}

/** The Message-ID of an outbox row's email: derived from the row, so every attempt carries the same. */
export function outboxMessageId(outboxId: string, domain: string): string {
  return `<outbox-${outboxId}@${domain}>`;
}

function classify(error: unknown): Error {
  const { code, responseCode, message } = error as { code?: string; responseCode?: number; message?: string };
  const text = message ?? String(error);
  if (responseCode !== undefined) {
    // SMTP replies: 4xx means try again later, 5xx means this message will never go.
    return responseCode >= 400 && responseCode < 500
      ? new TransientError(text, `smtp_${responseCode}`, { cause: error })
      : new PermanentError(text, `smtp_${responseCode}`, { cause: error });
  }
  if (code && TRANSIENT_CODES.has(code)) return new TransientError(text, code.toLowerCase(), { cause: error });
  return new PermanentError(text, (code ?? 'smtp_error').toLowerCase(), { cause: error });
}
