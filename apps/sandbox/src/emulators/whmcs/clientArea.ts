import { escapeHtml } from '../shared/hostedPage';
import type { WhmcsClient, WhmcsPayMethod } from './store';

/** The client area's "Payment Methods" page (clientarea:billing_info) where a customer adds a card. */
export function paymentMethodsPage(options: {
  client: WhmcsClient;
  payMethods: WhmcsPayMethod[];
  addAction: string;
  notice?: string;
  error?: string;
}): string {
  const rows = options.payMethods.map(
    (p) =>
      `<tr><td>${escapeHtml(p.card_type)} ending ${escapeHtml(p.card_last_four)}</td><td>${escapeHtml(p.expiry_date)}</td><td>${escapeHtml(p.description)}</td></tr>`,
  );
  return page(
    'Payment Methods',
    `<p>Signed in as ${escapeHtml(`${options.client.firstname} ${options.client.lastname}`)} (${escapeHtml(options.client.email)})</p>
${options.notice ? `<p class="notice ok">${escapeHtml(options.notice)}</p>` : ''}
${options.error ? `<p class="notice">${escapeHtml(options.error)}</p>` : ''}
<table><thead><tr><th>Card</th><th>Expires</th><th>Description</th></tr></thead>
<tbody>${rows.join('') || '<tr><td colspan="3">No payment methods on file</td></tr>'}</tbody></table>
<h2>Add New Credit Card</h2>
<form method="post" action="${escapeHtml(options.addAction)}">
<label>Card number <input name="ccnumber" inputmode="numeric" autocomplete="cc-number" value="4242424242424242"></label>
<label>Expiry (MM/YY) <input name="ccexpirydate" autocomplete="cc-exp" value="12/30"></label>
<label>Description <input name="ccdescription" value="Default card"></label>
<button class="primary" type="submit">Save Changes</button>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<p class="notice">${escapeHtml(message)}</p>`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - WHMCS</title>
<style>
body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
.badge{display:inline-block;background:#fde68a;border-radius:4px;padding:2px 6px;font-size:.8rem}
table{width:100%;border-collapse:collapse;margin:1rem 0}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #e4e7eb}
.notice{background:#fee2e2;padding:.6rem;border-radius:4px}.notice.ok{background:#dcfce7}
label{display:block;margin:.5rem 0}input{font-size:1rem;padding:.3rem;margin-left:.5rem}
button{font-size:1rem;padding:.5rem 1rem;border-radius:4px;border:1px solid #2563eb;background:#2563eb;color:#fff;cursor:pointer}
</style></head><body>
<p><span class="badge">WHMCS sandbox</span></p>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}
