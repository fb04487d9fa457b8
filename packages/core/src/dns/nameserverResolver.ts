/**
 * Looks up a domain's NS records (seed 000 phase 5: the DNS cron asks which nameservers the
 * world sees for a customer's domain). Implementations live in @handover/integrations.
 *
 * - Resolves with the nameserver host names, lower case and without the trailing dot.
 * - A domain with no NS records, or that does not exist (NXDOMAIN), resolves with `[]`: the
 *   customer has not delegated it yet, which is an answer, not a failure.
 * - Throws TransientError when the resolver itself fails (unreachable, timeout, SERVFAIL), so
 *   the check is simply tried again on the next run.
 */
export interface NameserverResolver {
  lookupNameservers(domain: string): Promise<string[]>;
}
