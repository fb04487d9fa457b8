import { domainToUnicode } from 'node:url';
import type { Zone } from './zones';

export interface RegistrarPageState {
  zones: Zone[];
  /** Where the page's forms post (the emulator's prefix). */
  base: string;
  notice?: string;
  error?: string;
  /** What the person typed in the add form, kept when it was refused. */
  draft?: { domain: string; nameservers: string };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const idFor = (domain: string) => `ns-${domain.replace(/[^a-z0-9]/g, '-')}`;

function label(domain: string): string {
  const unicode = domainToUnicode(domain);
  return unicode && unicode !== domain ? `${unicode} (${domain})` : domain;
}

function zoneRow(zone: Zone, base: string): string {
  const id = idFor(zone.domain);
  const action = `${base}/domains/${encodeURIComponent(zone.domain)}`;
  return `
      <tr>
        <th scope="row">${escapeHtml(label(zone.domain))}</th>
        <td>
          <form method="post" action="${escapeHtml(base)}/domains">
            <input type="hidden" name="domain" value="${escapeHtml(zone.domain)}">
            <label for="${id}">Nameservers for ${escapeHtml(label(zone.domain))}, one per line</label>
            <textarea id="${id}" name="nameservers" rows="3" cols="36" required>${escapeHtml(zone.nameservers.join('\n'))}</textarea>
            <button type="submit">Save nameservers</button>
          </form>
        </td>
        <td>
          <form method="post" action="${escapeHtml(action)}/remove">
            <button type="submit" aria-label="Remove ${escapeHtml(label(zone.domain))}">Remove</button>
          </form>
        </td>
        <td>${escapeHtml(zone.updatedAt)}</td>
      </tr>`;
}

/**
 * The fake registrar's page: where, in development, a person does what seed 000 phase 4 asks
 * of the customer ("Update nameservers to the ones above"), so the DNS check can see it.
 */
export function renderRegistrarPage(state: RegistrarPageState): string {
  const rows = state.zones.map((zone) => zoneRow(zone, state.base)).join('');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sandbox registrar: nameservers</title>
  <style>
    body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.5; }
    table { border-collapse: collapse; width: 100%; }
    th, td { border-bottom: 1px solid #ccc; padding: .5rem; text-align: left; vertical-align: top; }
    label { display: block; font-size: .9rem; }
    textarea, input[type=text] { font: inherit; width: 100%; box-sizing: border-box; }
    [role=status] { background: #e7f6e7; padding: .5rem 1rem; }
    [role=alert] { background: #fdeaea; padding: .5rem 1rem; }
    fieldset { margin-top: 2rem; }
  </style>
</head>
<body>
  <main>
    <h1>Sandbox registrar</h1>
    <p>This page stands in for a domain registrar (GoDaddy, Namecheap and the like). Set a domain's
      nameservers here as a customer would; the sandbox's DNS server and its DNS-over-HTTPS endpoint
      answer with them at once.</p>
    ${state.notice ? `<p role="status">${escapeHtml(state.notice)}</p>` : ''}
    ${state.error ? `<p role="alert">${escapeHtml(state.error)}</p>` : ''}
    <table>
      <caption>Domains and their nameservers</caption>
      <thead><tr><th scope="col">Domain</th><th scope="col">Nameservers</th><th scope="col">Remove</th><th scope="col">Last change</th></tr></thead>
      <tbody>${rows || '\n      <tr><td colspan="4">No domains yet: add one below.</td></tr>'}
      </tbody>
    </table>
    <form method="post" action="${escapeHtml(state.base)}/domains">
      <fieldset>
        <legend>Add a domain or change its nameservers</legend>
        <label for="new-domain">Domain</label>
        <input type="text" id="new-domain" name="domain" placeholder="mybusiness.com" required value="${escapeHtml(state.draft?.domain ?? '')}">
        <label for="new-nameservers">Nameservers, one per line</label>
        <textarea id="new-nameservers" name="nameservers" rows="3" required placeholder="ns1.plugsaas.test&#10;ns2.plugsaas.test">${escapeHtml(state.draft?.nameservers ?? '')}</textarea>
        <button type="submit">Save nameservers</button>
      </fieldset>
    </form>
  </main>
</body>
</html>
`;
}
