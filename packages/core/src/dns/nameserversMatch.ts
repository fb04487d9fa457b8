import { normalizeHostname } from '@handover/contracts';

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
