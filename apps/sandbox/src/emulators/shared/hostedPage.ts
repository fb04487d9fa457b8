/** The minimal HTML a person clicks through in dev: a summary and one form button per outcome. */
export interface HostedPage {
  title: string;
  vendor: string;
  rows: [label: string, value: string][];
  /** Shown above the buttons (a declined card, an expired session). */
  notice?: string;
  actions: { label: string; action: string; tone: 'primary' | 'danger' | 'plain' }[];
}

export function renderHostedPage(page: HostedPage): string {
  const rows = page.rows.map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`);
  const actions = page.actions.map(
    (a) =>
      `<form method="post" action="${escapeHtml(a.action)}"><button class="${a.tone}" type="submit">${escapeHtml(a.label)}</button></form>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
.badge{display:inline-block;background:#fde68a;border-radius:4px;padding:2px 6px;font-size:.8rem}
table{width:100%;border-collapse:collapse;margin:1rem 0}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #e4e7eb}
.notice{background:#fee2e2;padding:.6rem;border-radius:4px}
form{display:inline-block;margin-right:.5rem}button{font-size:1rem;padding:.5rem 1rem;border-radius:4px;border:1px solid #9aa5b1;cursor:pointer}
.primary{background:#2563eb;color:#fff;border-color:#2563eb}.danger{background:#dc2626;color:#fff;border-color:#dc2626}
</style></head><body>
<p><span class="badge">${escapeHtml(page.vendor)} sandbox</span></p>
<h1>${escapeHtml(page.title)}</h1>
<table>${rows.join('')}</table>
${page.notice ? `<p class="notice">${escapeHtml(page.notice)}</p>` : ''}
${actions.join('\n')}
</body></html>`;
}

/** An amount in minor units for people to read (`12.50 USD`); the page only displays it. */
export function displayAmount(minor: number, currency: string, decimals = 2): string {
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(decimals + 1, '0');
  const whole = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return `${sign}${whole} ${currency.toUpperCase()}`;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
