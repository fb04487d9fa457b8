// Browser-safe (the order form uses it): the WHATWG URL parser does the IDN conversion, the
// same one node:url's domainToASCII runs.

/** Characters that end or escape a URL's host: with one of them the parser would read only part of the name. */
const NOT_IN_HOST = /[\s/\\?#@:%[\]<>^|]/;

/** The ASCII (punycode), lower-case form of a host name, or null when the URL parser refuses it. */
function toAsciiHost(name: string): string | null {
  if (name === '' || NOT_IN_HOST.test(name)) return null;
  try {
    return new URL(`http://${name}`).hostname || null;
  } catch {
    return null;
  }
}

/**
 * A host name as DNS compares it: trimmed, without the trailing root dot, in lower case, and
 * an internationalised name in its ASCII (punycode) form, so `NS1.Exämple.com.` and
 * `ns1.xn--exmple-cua.com` are the same host. A name that is not a valid host name is only
 * trimmed and lower-cased, so it can still be compared with itself.
 */
export function normalizeHostname(name: string): string {
  const trimmed = name.trim().replace(/\.+$/, '');
  return toAsciiHost(trimmed) ?? trimmed.toLowerCase();
}

const LABEL = '(?!-)[a-z0-9-]{1,63}(?<!-)';
/** The last label has a letter: `1.2.3.4` is an address, not a domain. */
const TOP_LABEL = '(?!-)(?=[a-z0-9-]*[a-z])[a-z0-9-]{1,63}(?<!-)';
const DOMAIN_NAME = new RegExp(`^(${LABEL}\\.)+${TOP_LABEL}$`);

/** True for a name with at least two labels that DNS can carry once normalized (`mybusiness.com`, `bücher.de`). */
export function isDomainName(name: string): boolean {
  const normalized = normalizeHostname(name);
  return normalized.length <= 253 && DOMAIN_NAME.test(normalized);
}
