/**
 * Which registrar account holds which domain, for the Spaceship and Namecheap emulators. One
 * account may be the catch-all: a domain no account holds is its own, so a person clicking
 * through in dev need not register their domain with the emulator first. To every other account
 * such a domain is nobody's.
 */
export class DomainOwnership {
  private readonly owners = new Map<string, string>();

  constructor(private readonly catchAll?: string) {}

  /** Gives the domain to `account` (taking it from any account that held it). */
  assign(domain: string, account: string): void {
    this.owners.set(domain, account);
  }

  /** How `domain` stands to `account`; the catch-all account takes an unclaimed domain as its own. */
  relation(domain: string, account: string): 'own' | 'other' | 'nobody' {
    const owner = this.owners.get(domain);
    if (owner === account) return 'own';
    if (owner !== undefined) return 'other';
    if (account !== this.catchAll) return 'nobody';
    this.owners.set(domain, account);
    return 'own';
  }

  domainsOf(account: string): string[] {
    return [...this.owners.entries()]
      .filter(([, owner]) => owner === account)
      .map(([domain]) => domain)
      .sort();
  }

  isCatchAll(account: string): boolean {
    return account === this.catchAll;
  }

  reset(): void {
    this.owners.clear();
  }
}
