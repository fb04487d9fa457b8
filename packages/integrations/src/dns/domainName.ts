import { isDomainName, normalizeHostname } from '@handover/contracts';
import { PermanentError } from '@handover/core';

/** The domain as DNS asks for it (ASCII, lower case), or a PermanentError: no resolver can answer for it. */
export function queryName(domain: string): string {
  if (!isDomainName(domain)) throw new PermanentError(`"${domain}" is not a domain name`, 'invalid_domain');
  return normalizeHostname(domain);
}
