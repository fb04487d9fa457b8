import { isIP } from 'node:net';
import { type NameserverResolver, parseEnv } from '@handover/core';
import { z } from 'zod';
import { DohJsonResolver } from './dohJsonResolver';
import { UdpDnsResolver } from './udpDnsResolver';

/** `host:port` for node:dns: an IP address (IPv6 in brackets), port 53 when left out. */
export const dnsServerAddress = z.string().refine((value) => {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(value.trim());
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3] === undefined ? 53 : Number(match[3]);
  return host !== undefined && isIP(host) !== 0 && port > 0 && port <= 65535;
}, 'must be an IP address with an optional port, such as 127.0.0.1:4053 or [::1]:53');

export const dnsResolverConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('doh'), url: z.url(), timeoutMs: z.number().int().positive() }),
  z.object({ kind: z.literal('dns'), server: dnsServerAddress, timeoutMs: z.number().int().positive() }),
]);
export type DnsResolverConfig = z.output<typeof dnsResolverConfigSchema>;

/**
 * DNS_RESOLVER (`doh`, the seed's Google DNS-over-HTTPS, or `dns`, plain DNS to DNS_SERVER),
 * DNS_DOH_URL, DNS_SERVER and DNS_TIMEOUT_MS, read into one resolver config.
 */
export const dnsResolverEnvSchema = z
  .object({
    DNS_RESOLVER: z.enum(['doh', 'dns']).default('doh'),
    DNS_DOH_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('https://dns.google'),
    DNS_SERVER: dnsServerAddress.optional(),
    DNS_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  })
  .transform((env, ctx): DnsResolverConfig => {
    if (env.DNS_RESOLVER === 'doh') return { kind: 'doh', url: env.DNS_DOH_URL, timeoutMs: env.DNS_TIMEOUT_MS };
    if (!env.DNS_SERVER) {
      ctx.addIssue({ code: 'custom', path: ['DNS_SERVER'], message: 'is required when DNS_RESOLVER=dns' });
      return z.NEVER;
    }
    return { kind: 'dns', server: env.DNS_SERVER, timeoutMs: env.DNS_TIMEOUT_MS };
  });

export function createNameserverResolver(config: DnsResolverConfig): NameserverResolver {
  return config.kind === 'doh'
    ? new DohJsonResolver({ url: config.url, timeoutMs: config.timeoutMs })
    : new UdpDnsResolver({ server: config.server, timeoutMs: config.timeoutMs });
}

/** The DNS check's resolver, from DNS_RESOLVER, DNS_DOH_URL, DNS_SERVER and DNS_TIMEOUT_MS. */
export function buildNameserverResolver(env: Record<string, string | undefined>, app: string): NameserverResolver {
  return createNameserverResolver(parseEnv(app, dnsResolverEnvSchema, env));
}
