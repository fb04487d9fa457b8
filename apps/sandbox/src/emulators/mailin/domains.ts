import type { ZoneStore } from '../dns/zones';

export type DomainState = 'pending' | 'active';

export interface MailinDomain {
  id: number;
  name: string;
  status: DomainState;
  nameServerStatus: DomainState;
  /** What Mailin.ai asked the customer to set at their registrar. */
  nameservers: string[];
  createdAt: string;
  activatedAt: string | null;
  /** When the sandbox DNS was first seen delegating the domain to its nameservers. */
  delegationSeenAt: string | null;
}

/** Nameserver pairs handed out in turn, as a provider spreads domains over its DNS clusters. */
const NAMESERVER_PAIRS = 3;

/**
 * The domains of the Mailin.ai account. A transferred domain waits (`pending`) until the sandbox
 * DNS delegates it to exactly the nameservers handed out for it; every read checks again, as
 * Mailin.ai's own checks would find the delegation once it has propagated.
 */
export class DomainBook {
  private readonly domains = new Map<string, MailinDomain>();
  private created = 0;

  /** `activationDelayMs()`: how long the delegation must be seen before the domain turns active (null: at once). */
  constructor(
    private readonly zones: ZoneStore,
    private readonly activationDelayMs: () => number | null = () => null,
  ) {}

  transfer(name: string, now: Date): { kind: 'started'; domain: MailinDomain } | { kind: 'taken' } {
    if (this.domains.has(name)) return { kind: 'taken' };
    return { kind: 'started', domain: this.add(name, now) };
  }

  /** The domain named exactly `name`, its status brought up to date with the sandbox DNS. */
  get(name: string, now: Date): MailinDomain | undefined {
    const domain = this.domains.get(name);
    if (domain) this.refresh(domain, now);
    return domain;
  }

  /** Domains whose name contains `term` (Mailin.ai's `name` filter), brought up to date. */
  search(term: string, now: Date): MailinDomain[] {
    const needle = term.trim().toLowerCase();
    return [...this.domains.values()]
      .filter((domain) => domain.name.includes(needle))
      .map((domain) => {
        this.refresh(domain, now);
        return domain;
      });
  }

  /** The control API's shortcut: the domain is active whatever DNS says (added if unknown). */
  forceActive(name: string, now: Date): MailinDomain {
    const domain = this.domains.get(name) ?? this.add(name, now);
    this.markActive(domain, now);
    return domain;
  }

  list(): MailinDomain[] {
    return [...this.domains.values()];
  }

  reset(): void {
    this.domains.clear();
    this.created = 0;
  }

  private add(name: string, now: Date): MailinDomain {
    const pair = this.created % NAMESERVER_PAIRS;
    this.created += 1;
    const domain: MailinDomain = {
      id: 67_890 + this.created,
      name,
      status: 'pending',
      nameServerStatus: 'pending',
      nameservers: [`ns${2 * pair + 1}.mailin.test`, `ns${2 * pair + 2}.mailin.test`],
      createdAt: now.toISOString(),
      activatedAt: null,
      delegationSeenAt: null,
    };
    this.domains.set(name, domain);
    return domain;
  }

  private refresh(domain: MailinDomain, now: Date): void {
    if (domain.status === 'active') return;
    const delegated = this.zones.get(domain.name)?.nameservers ?? [];
    if (!sameNameservers(delegated, domain.nameservers)) {
      domain.delegationSeenAt = null;
      return;
    }
    domain.delegationSeenAt ??= now.toISOString();
    // Mailin.ai's own checks find a new delegation some time after it was made (propagation).
    const seenFor = now.getTime() - new Date(domain.delegationSeenAt).getTime();
    if (seenFor >= (this.activationDelayMs() ?? 0)) this.markActive(domain, now);
  }

  private markActive(domain: MailinDomain, now: Date): void {
    domain.status = 'active';
    domain.nameServerStatus = 'active';
    domain.activatedAt ??= now.toISOString();
  }
}

function sameNameservers(a: string[], b: string[]): boolean {
  const left = new Set(a.map((name) => name.toLowerCase()));
  const right = new Set(b.map((name) => name.toLowerCase()));
  return left.size === right.size && [...left].every((name) => right.has(name));
}
