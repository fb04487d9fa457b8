import type { SentSms } from './smsLog';

/** `/arkesel/`: the texts the sandbox accepted, newest first, like the mail page at `/mail`. */
export function smsPage(messages: SentSms[]): string {
  const rows = messages
    .map(
      (sms) => `<article>
  <p class="meta">To +${escapeHtml(sms.recipient)} from ${escapeHtml(sms.sender)} · ${escapeHtml(sms.sentAt)} ·
  <span class="status ${sms.status === 'DELIVERED' ? 'ok' : ''}">${escapeHtml(sms.status)}</span></p>
  <pre>${escapeHtml(sms.message)}</pre>
  <p class="meta">id ${escapeHtml(sms.id)}${sms.sandbox ? ' · sandbox' : ''} · ${sms.pages} page(s) · reports: ${
    sms.reports.map(escapeHtml).join(', ') || 'none'
  }${sms.callbackUrl ? ` to ${escapeHtml(sms.callbackUrl)}` : ''}</p>
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sandbox SMS (${messages.length})</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  article { border: 1px solid #ddd; border-radius: 6px; padding: 0 1rem; margin-bottom: 1rem; }
  .meta { color: #666; font-size: 0.9rem; }
  .status { background: #fde68a; border-radius: 4px; padding: 0 4px; }
  .status.ok { background: #bbf7d0; }
  pre { white-space: pre-wrap; font-size: 1rem; }
</style>
</head>
<body>
<h1>Texts the Arkesel sandbox accepted</h1>
<p>Every SMS sent through the sandbox's Arkesel API, newest first. None of them reached a phone.</p>
${rows || '<p>No texts yet.</p>'}
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
