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

/**
 * Seed 000 phase 5: the domain is verified when every nameserver the provider gave is among
 * those the world sees. Extra nameservers in the answer do not matter; an empty expectation
 * never matches, since there would be nothing to verify.
 */
export function nameserversMatch(expected: readonly string[], actual: readonly string[]): boolean {
  if (expected.length === 0) return false;
  const seen = new Set(actual.map(normalizeHostname));
  return expected.every((name) => seen.has(normalizeHostname(name)));
}
