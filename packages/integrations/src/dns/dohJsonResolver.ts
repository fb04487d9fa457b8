import { normalizeHostname } from '@handover/contracts';
import { type NameserverResolver, TransientError } from '@handover/core';
import { z } from 'zod';
import { JsonClient } from '../http/jsonClient';
import { queryName } from './domainName';

const NS = 2;
const RCODE_NAMES: Record<number, string> = { 1: 'FORMERR', 2: 'SERVFAIL', 4: 'NOTIMP', 5: 'REFUSED' };

/** Google's JSON DNS answer (https://developers.google.com/speed/public-dns/docs/doh/json). */
export const dohJsonAnswer = z.object({
  Status: z.number().int().min(0),
  Answer: z
    .array(z.object({ name: z.string(), type: z.number().int(), TTL: z.number().optional(), data: z.string() }))
    .optional(),
});
export type DohJsonAnswer = z.output<typeof dohJsonAnswer>;

/**
 * The nameservers in a JSON DNS answer: Status 0 gives the NS records' hosts, Status 3
 * (NXDOMAIN) gives none, and any other status means the resolver failed.
 */
export function nameserversFromDohAnswer(domain: string, answer: DohJsonAnswer): string[] {
  if (answer.Status === 3) return [];
  if (answer.Status !== 0) {
    const rcode = RCODE_NAMES[answer.Status] ?? `status ${answer.Status}`;
    throw new TransientError(`DNS-over-HTTPS answered ${rcode} for ${domain}`, 'dns_resolver_failed');
  }
  const hosts = (answer.Answer ?? [])
    .filter((record) => record.type === NS)
    .map((record) => normalizeHostname(record.data));
  return [...new Set(hosts)];
}

/**
 * Seed 000 phase 5: "Uses Google DNS-over-HTTPS to verify". GET <url>/resolve?name=&type=NS
 * in Google's JSON format, through JsonClient (timeouts, 5xx and unreachable as TransientError).
 */
export class DohJsonResolver implements NameserverResolver {
  private readonly http: JsonClient;

  constructor(options: { url: string; timeoutMs: number; fetch?: typeof fetch }) {
    this.http = new JsonClient({
      provider: 'dns-over-https',
      baseUrl: options.url,
      timeoutMs: options.timeoutMs,
      headers: () => ({ accept: 'application/dns-json' }),
      fetch: options.fetch,
    });
  }

  async lookupNameservers(domain: string): Promise<string[]> {
    const name = queryName(domain);
    const answer = await this.http.request({
      method: 'GET',
      path: 'resolve',
      query: { name, type: 'NS' },
      response: dohJsonAnswer,
    });
    return nameserversFromDohAnswer(name, answer);
  }
}
