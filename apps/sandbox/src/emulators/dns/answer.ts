import type { SoaData } from 'dns-packet';
import type { Zone, ZoneStore } from './zones';

/** Short: in dev a person changes nameservers and expects the next check to see it. */
const TTL_SECONDS = 300;
const NEGATIVE_TTL_SECONDS = 60;

export type DnsRecord =
  | { name: string; type: 'NS'; ttl: number; data: string }
  | { name: string; type: 'SOA'; ttl: number; data: SoaData };

export interface DnsAnswer {
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: DnsRecord[];
  authorities: DnsRecord[];
}

/**
 * Answers one question from the zone store, as an authoritative server for every domain in
 * it: NS and SOA at a domain's apex, NOERROR with no answer (and the SOA) for other types
 * there, NXDOMAIN for names under a domain and for names in no known domain.
 * `name` is the question as asked: answers repeat its spelling, lookups ignore case.
 */
export function answerQuestion(zones: ZoneStore, name: string, type: string): DnsAnswer {
  const asked = name.replace(/\.$/, '');
  const zone = zones.zoneOf(asked.toLowerCase());
  if (!zone) return { rcode: 'NXDOMAIN', answers: [], authorities: [] };
  const soa = soaRecord(zone);
  if (asked.toLowerCase() !== zone.domain) return { rcode: 'NXDOMAIN', answers: [], authorities: [soa] };

  const answers: DnsRecord[] = [];
  if (type === 'NS' || type === 'ANY') {
    answers.push(...zone.nameservers.map((ns): DnsRecord => ({ name: asked, type: 'NS', ttl: TTL_SECONDS, data: ns })));
  }
  if (type === 'SOA' || type === 'ANY') answers.push({ ...soa, name: asked, ttl: TTL_SECONDS });
  return { rcode: 'NOERROR', answers, authorities: answers.length > 0 ? [] : [soa] };
}

function soaRecord(zone: Zone): DnsRecord {
  return {
    name: zone.domain,
    type: 'SOA',
    ttl: NEGATIVE_TTL_SECONDS,
    data: {
      mname: zone.nameservers[0] ?? `ns.${zone.domain}`,
      rname: `hostmaster.${zone.domain}`,
      serial: zone.serial,
      refresh: 3600,
      retry: 600,
      expire: 604800,
      minimum: NEGATIVE_TTL_SECONDS,
    },
  };
}
