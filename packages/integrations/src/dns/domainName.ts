import { normalizeHostname, PermanentError } from '@handover/core';

const DOMAIN = /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

/** The domain as DNS asks for it (ASCII, lower case), or a PermanentError: no resolver can answer for it. */
export function queryName(domain: string): string {
  const name = normalizeHostname(domain);
  if (name.length > 253 || !DOMAIN.test(name)) {
    throw new PermanentError(`"${domain}" is not a domain name`, 'invalid_domain');
  }
  return name;
}
