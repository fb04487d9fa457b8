import { domainToASCII } from 'node:url';

/**
 * A host name as DNS compares it: trimmed, without the trailing root dot, in lower case, and
 * an internationalised name in its ASCII (punycode) form, so `NS1.Exämple.com.` and
 * `ns1.xn--exmple-cua.com` are the same host. A name that is not a valid host name is only
 * trimmed and lower-cased, so it can still be compared with itself.
 */
export function normalizeHostname(name: string): string {
  const trimmed = name.trim().replace(/\.+$/, '');
  return domainToASCII(trimmed) || trimmed.toLowerCase();
}

const LABEL = '(?!-)[a-z0-9-]{1,63}(?<!-)';
const DOMAIN_NAME = new RegExp(`^${LABEL}(\\.${LABEL})+$`);

/** True for a name with at least two labels that DNS can carry once normalized (`mybusiness.com`, `bücher.de`). */
export function isDomainName(name: string): boolean {
  const normalized = normalizeHostname(name);
  return normalized.length <= 253 && DOMAIN_NAME.test(normalized);
}
