import type { EntityManager } from '@mikro-orm/postgresql';
import type { CatalogProduct } from '../catalog/listProducts';
import { operatorAccountOf } from './operatorAccounts';
import type { OperatorSystem } from './operatorSystem';

/** The catalog a signed-in customer sees, and whether it was narrowed to what their account may order. */
export interface PersonalizedCatalog {
  products: CatalogProduct[];
  /** The operator system said which of the products the customer's account is eligible for. */
  personalized: boolean;
  /** Why the list is not personalized, in the customer's words; null when nothing needs saying. */
  note: string | null;
}

export interface PersonalizedCatalogOptions {
  /** How long an account's eligibility is reused (seed 004: cached briefly). */
  ttlMs?: number;
  /** How long the catalog waits for the operator system before it is shown without it. */
  waitMs?: number;
  now?: () => number;
}

export const CATALOG_UNFILTERED_NOTE =
  'We could not check which services your address can get right now, so every service is shown. We confirm eligibility when our team reviews your order.';
export const CATALOG_NO_ACCOUNT_NOTE =
  'Services that depend on your address are shown once your customer number is linked to an account: contact us if you expected to see them.';

/**
 * Seed 004's `/catalog/personalized`: the products whose rules name an operator-system product
 * code are shown only when the customer's operator-system account is eligible for that code; the
 * others to everyone. Eligibility is read through the server, cached per account for `ttlMs`, and
 * never holds the page: when the operator system is slow (past `waitMs`), down or refusing, the
 * catalog is the public one, unfiltered, with a note saying so; a late answer still fills the
 * cache for the next look.
 */
export class PersonalizedCatalogView {
  private readonly cache = new Map<string, { at: number; codes: Set<string> }>();
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly now: () => number;

  constructor(
    private readonly operatorSystem: OperatorSystem,
    options: PersonalizedCatalogOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.waitMs = options.waitMs ?? 3_000;
    this.now = options.now ?? Date.now;
  }

  async personalize(em: EntityManager, userId: string, products: CatalogProduct[]): Promise<PersonalizedCatalog> {
    const gated = (product: CatalogProduct) => product.rules.operatorProductCode !== null;
    if (!products.some(gated)) return { products, personalized: false, note: null };
    const codes = await this.eligibleCodes(em, userId);
    if (codes === 'unavailable') return { products, personalized: false, note: CATALOG_UNFILTERED_NOTE };
    const shown = products.filter(
      (product) => !gated(product) || (codes !== 'no_account' && codes.has(product.rules.operatorProductCode ?? '')),
    );
    return {
      products: shown,
      personalized: codes !== 'no_account',
      note: codes === 'no_account' ? CATALOG_NO_ACCOUNT_NOTE : null,
    };
  }

  private async eligibleCodes(em: EntityManager, userId: string): Promise<Set<string> | 'no_account' | 'unavailable'> {
    const key = `user:${userId}`;
    const cached = this.cache.get(key);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.codes;
    const fresh = (async () => {
      const accountId = await operatorAccountOf(em, this.operatorSystem, userId);
      if (!accountId) return 'no_account' as const;
      const { productCodes } = await this.operatorSystem.eligibleProducts(accountId);
      const codes = new Set(productCodes);
      this.cache.set(key, { at: this.now(), codes });
      return codes;
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.waitMs);
    });
    try {
      const answer = await Promise.race([fresh, timeout]);
      if (answer !== 'timeout') return answer;
      // Still coming: it fills the cache when it lands; nobody waits for it.
      fresh.catch(() => {});
    } catch {
      // Down, slow, refusing or misconfigured: the catalog is shown all the same.
    } finally {
      clearTimeout(timer);
    }
    return 'unavailable';
  }
}
