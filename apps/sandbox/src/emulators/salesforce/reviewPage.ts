import { escapeHtml } from '../shared/hostedPage';
import type { OrderRecord } from './records';

/** The ops' list view of orders with the Approve and "Provision in WHMCS" actions (seed 004 step 5). */
export function reviewPage(options: { orders: OrderRecord[]; base: string; notice?: string }): string {
  const rows = options.orders.map((order) => {
    const actions = [
      order.Status === 'Pending Review'
        ? form(`${options.base}/lightning/orders/${order.Id}/approve`, 'Approve', '')
        : '',
      order.Status === 'Approved'
        ? form(
            `${options.base}/lightning/orders/${order.Id}/provision`,
            'Provision',
            '<input name="approvedBy" value="Sandbox Ops" aria-label="Approved by">',
          )
        : '',
    ].join('');
    const cells = [
      order.OrderNumber,
      order.Id,
      order.AccountId,
      order.Status,
      order.Activation_Status__c,
      order.Handover_Order_Id__c,
      order.WHMCS_Order_ID__c,
    ].map((value) => `<td>${escapeHtml(value === null || value === undefined ? '' : String(value))}</td>`);
    return `<tr>${cells.join('')}<td>${actions}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Orders awaiting review</title>
<style>
body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1f2933}
.badge{display:inline-block;background:#bae6fd;border-radius:4px;padding:2px 6px;font-size:.8rem}
table{width:100%;border-collapse:collapse;margin:1rem 0;font-size:.9rem}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #e4e7eb}
.notice{background:#e0f2fe;padding:.6rem;border-radius:4px;white-space:pre-wrap}
form{display:inline-block;margin-right:.4rem}button{padding:.3rem .8rem;border-radius:4px;border:1px solid #2563eb;background:#2563eb;color:#fff;cursor:pointer}
input{width:7rem;margin-right:.3rem}
</style></head><body>
<p><span class="badge">Operator system sandbox</span></p>
<h1>Orders</h1>
${options.notice ? `<p class="notice">${escapeHtml(options.notice)}</p>` : ''}
<table><thead><tr><th>Order Number</th><th>Id</th><th>Account</th><th>Status</th><th>Activation</th><th>Handover order</th><th>WHMCS order</th><th></th></tr></thead>
<tbody>${rows.join('') || '<tr><td colspan="8">No orders</td></tr>'}</tbody></table>
</body></html>`;
}

function form(action: string, label: string, inputs: string): string {
  return `<form method="post" action="${escapeHtml(action)}">${inputs}<button type="submit">${escapeHtml(label)}</button></form>`;
}
