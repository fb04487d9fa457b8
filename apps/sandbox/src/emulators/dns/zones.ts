import { domainToASCII } from 'node:url';
import { z } from 'zod';

/** A domain name in the form DNS carries it: ASCII (punycode), lower case, no trailing dot. */
export const domainName = z
  .string()
  .trim()
  .transform((value) => domainToASCII(value.replace(/\.$/, '')))
  .pipe(
    z
      .string()
      .max(253, 'is too long')
      .regex(
        /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/,
        'must be a domain name such as example.com',
      ),
  );

/** What a registrar accepts as a domain's delegation: 1 to 13 nameserver host names. */
export const nameserverList = z
  .array(domainName)
  .min(1, 'needs at least one nameserver')
  .max(13, 'takes at most 13 nameservers')
  .transform((names) => [...new Set(names)]);

export interface Zone {
  domain: string;
  nameservers: string[];
  /** Bumped on every change, as the zone's SOA serial. */
  serial: number;
  updatedAt: string;
}

/**
 * The delegations the sandbox's DNS answers from: domain -> nameservers. The fake registrar
 * page and its control API change them; the DNS server and the DoH endpoint read them.
 */
export class ZoneStore {
  private readonly zones = new Map<string, Zone>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** `domain` and `nameservers` must already be valid (see `domainName`, `nameserverList`). */
  setNameservers(domain: string, nameservers: string[]): Zone {
    const zone: Zone = {
      domain,
      nameservers,
      serial: (this.zones.get(domain)?.serial ?? 0) + 1,
      updatedAt: this.now().toISOString(),
    };
    this.zones.set(domain, zone);
    return zone;
  }

  remove(domain: string): boolean {
    return this.zones.delete(domain);
  }

  get(domain: string): Zone | undefined {
    return this.zones.get(domain);
  }

  list(): Zone[] {
    return [...this.zones.values()].sort((a, b) => a.domain.localeCompare(b.domain));
  }

  /** The zone `name` lies in (the domain itself or a name under it), if any. */
  zoneOf(name: string): Zone | undefined {
    const labels = name.split('.');
    for (let i = 0; i < labels.length - 1; i++) {
      const zone = this.zones.get(labels.slice(i).join('.'));
      if (zone) return zone;
    }
    return undefined;
  }

  reset(): void {
    this.zones.clear();
  }
}
