import type { AddressInfo } from 'node:net';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Mailbox } from './mailbox';

export interface SmtpEmulator {
  port: number;
  close(): Promise<void>;
}

/**
 * A real SMTP server (RFC 5321 through `smtp-server`) that keeps every accepted message in
 * `mailbox` instead of delivering it. Plain text only (no STARTTLS, which would need a
 * certificate); any AUTH credentials are accepted and noted.
 */
export async function startSmtpEmulator(options: {
  mailbox: Mailbox;
  host: string;
  port: number;
}): Promise<SmtpEmulator> {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const fault = options.mailbox.takeFault();
          if (fault?.responseCode !== undefined) {
            callback(Object.assign(new Error(fault.message), { responseCode: fault.responseCode }));
            return;
          }
          const correlationId = parsed.headers.get('x-correlation-id');
          const stored = options.mailbox.add({
            messageId: parsed.messageId ?? null,
            correlationId: typeof correlationId === 'string' ? correlationId : null,
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            },
            from: parsed.from?.value[0]?.address ?? null,
            to: addresses(parsed.to),
            cc: addresses(parsed.cc),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: parsed.html || null,
            authUser: typeof session.user === 'string' ? session.user : null,
            receivedAt: new Date().toISOString(),
          });
          const accepted = () => callback(null, `Message queued as sandbox-${stored.id}`);
          if (fault?.delayReplyMs) setTimeout(accepted, fault.delayReplyMs);
          else accepted();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = Array.isArray(field) ? field : field ? [field] : [];
  return objects.flatMap((object) => object.value.map((entry) => entry.address ?? '')).filter(Boolean);
}
