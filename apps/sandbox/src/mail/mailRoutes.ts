import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type CapturedMail, type Mailbox, mailFaultSchema } from './mailbox';

/**
 * The emulator's windows: `/mail`, a page listing the kept mails with their links clickable
 * (so a person can follow a reset link in dev), and JSON under `/_control/mail` for tests.
 */
export function registerMailRoutes(app: FastifyInstance, mailbox: Mailbox): void {
  app.get('/mail', async (_request, reply) => reply.type('text/html; charset=utf-8').send(mailPage(mailbox.list())));

  app.get('/_control/mail', async (request, reply) => {
    const query = z.object({ to: z.string().optional() }).safeParse(request.query);
    if (!query.success) return reply.code(400).send({ error: z.prettifyError(query.error) });
    return { messages: mailbox.list(query.data) };
  });
  app.delete('/_control/mail', async (_request, reply) => {
    mailbox.clear();
    return reply.code(204).send();
  });
  app.get('/_control/mail/fault', async () => ({ fault: mailbox.getFault() }));
  app.put('/_control/mail/fault', async (request, reply) => {
    const fault = mailFaultSchema.safeParse(request.body ?? {});
    if (!fault.success) return reply.code(400).send({ error: z.prettifyError(fault.error) });
    mailbox.setFault(fault.data);
    return { fault: fault.data };
  });
  app.delete('/_control/mail/fault', async (_request, reply) => {
    mailbox.setFault(null);
    return reply.code(204).send();
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escapes the text, then turns each http(s) URL in it into a link. */
function linkify(text: string): string {
  return escapeHtml(text).replace(/https?:\/\/[^\s<>"]+/g, (url) => `<a href="${url}">${url}</a>`);
}

function mailPage(mails: CapturedMail[]): string {
  const items = mails
    .map(
      (mail) => `<article>
  <h2>${escapeHtml(mail.subject || '(no subject)')}</h2>
  <p class="meta">From ${escapeHtml(mail.from ?? '?')} to ${escapeHtml(mail.to.join(', '))}${
    mail.cc.length ? `, cc ${escapeHtml(mail.cc.join(', '))}` : ''
  } · ${escapeHtml(mail.receivedAt)}${mail.duplicateOf ? ` · <strong>resent</strong> (same Message-ID as #${mail.duplicateOf})` : ''}</p>
  <pre>${linkify(mail.text)}</pre>
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sandbox mail (${mails.length})</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  article { border: 1px solid #ddd; border-radius: 6px; padding: 0 1rem 1rem; margin-bottom: 1rem; }
  .meta { color: #666; font-size: 0.9rem; }
  pre { white-space: pre-wrap; font-size: 0.95rem; }
</style>
</head>
<body>
<h1>Mail the sandbox received</h1>
<p>Every email sent to the sandbox SMTP server, newest first. Nothing here left this machine.</p>
${items || '<p>No mail yet.</p>'}
</body>
</html>`;
}
