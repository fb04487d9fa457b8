import { promises as dns } from 'node:dns';
import { normalizeHostname } from '@handover/contracts';
import { type NameserverResolver, PermanentError, reportProviderCall, TransientError } from '@handover/core';
import { queryName } from './domainName';

/** Answers that mean "no nameservers": the domain does not exist, or has no NS records. */
const NO_ANSWER = new Set(['ENOTFOUND', 'ENODATA']);
/** Names the resolver refuses to ask about: asking again cannot help. */
const BAD_QUESTION = new Set(['EBADNAME', 'EBADQUERY', 'EBADFAMILY']);

/**
 * Plain DNS to one server (`host:port`), through node:dns (c-ares: UDP, TCP for long answers).
 * In dev and tests that server is the sandbox's; in production any resolver the operator picks.
 */
export class UdpDnsResolver implements NameserverResolver {
  private readonly resolver: dns.Resolver;

  constructor(private readonly options: { server: string; timeoutMs: number }) {
    // c-ares doubles the timeout on each try: t/3 then 2t/3 keeps the total near timeoutMs.
    this.resolver = new dns.Resolver({ timeout: Math.max(1, Math.round(options.timeoutMs / 3)), tries: 2 });
    this.resolver.setServers([options.server]);
  }

  async lookupNameservers(domain: string): Promise<string[]> {
    const name = queryName(domain);
    const started = performance.now();
    const report = (nameservers: string[] | null, error: string | null) =>
      reportProviderCall({
        provider: 'dns',
        method: 'NS',
        url: `dns://${this.options.server}/${name}`,
        request: { name, type: 'NS' },
        response: nameservers && { nameservers },
        httpStatus: null,
        durationMs: Math.round(performance.now() - started),
        error,
      });
    try {
      const nameservers = [...new Set((await this.resolver.resolveNs(name)).map(normalizeHostname))];
      report(nameservers, null);
      return nameservers;
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? 'UNKNOWN';
      if (NO_ANSWER.has(code)) {
        report([], null);
        return [];
      }
      const error = BAD_QUESTION.has(code)
        ? new PermanentError(`DNS refused to look up ${name} (${code})`, 'invalid_domain', { cause })
        : new TransientError(
            `DNS server ${this.options.server} failed to answer for ${name} (${code})`,
            'dns_resolver_failed',
            {
              cause,
            },
          );
      report(null, error.message);
      throw error;
    }
  }
}
