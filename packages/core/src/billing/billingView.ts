import type { EntityManager } from '@mikro-orm/postgresql';
import { ensureBillingAccount } from './billingAccounts';
import type { BillingInvoice, BillingService, BillingSystem } from './billingSystem';

/** What the portal's billing page shows: the lists, or why they are not there right now. */
export type BillingList<T> =
  | { available: true; items: T[]; asOf: Date }
  | { available: false; message: string; items: T[]; asOf: Date | null };

export interface BillingViewOptions {
  /** How long an answer is reused (seed 004: cached briefly). */
  ttlMs?: number;
  /** How long the page waits for the billing system before it answers without it. */
  waitMs?: number;
  now?: () => number;
}

const UNAVAILABLE = (system: string) =>
  `${system} is not answering right now, so your invoices and services cannot be shown. Try again in a few minutes.`;

/**
 * Seed 004 step 6: the customer's invoices and services come from the billing system through the
 * server, cached for `ttlMs` per customer, and never hold the page: after `waitMs` (or when the
 * system fails) the page gets what was last read, marked as unavailable, with a message to try
 * again. A slow answer that arrives later still fills the cache for the next look.
 */
export class BillingView {
  private readonly cache = new Map<string, { at: number; value: unknown }>();
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly now: () => number;

  constructor(
    private readonly billing: BillingSystem,
    options: BillingViewOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.waitMs = options.waitMs ?? 3_000;
    this.now = options.now ?? Date.now;
  }

  invoices(em: EntityManager, userId: string): Promise<BillingList<BillingInvoice>> {
    return this.read(em, userId, 'invoices', (clientId) => this.billing.invoices(clientId));
  }

  services(em: EntityManager, userId: string): Promise<BillingList<BillingService>> {
    return this.read(em, userId, 'services', (clientId) => this.billing.services(clientId));
  }

  private async read<T>(
    em: EntityManager,
    userId: string,
    kind: string,
    load: (clientId: string) => Promise<T[]>,
  ): Promise<BillingList<T>> {
    const key = `${kind}:${userId}`;
    const cached = this.cache.get(key) as { at: number; value: T[] } | undefined;
    if (cached && this.now() - cached.at < this.ttlMs) {
      return { available: true, items: cached.value, asOf: new Date(cached.at) };
    }
    const fresh = (async () => {
      const account = await ensureBillingAccount(em, this.billing, userId);
      const items = await load(account.clientId);
      this.cache.set(key, { at: this.now(), value: items });
      return items;
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.waitMs);
    });
    try {
      const items = await Promise.race([fresh, timeout]);
      if (items !== 'timeout') return { available: true, items, asOf: new Date(this.now()) };
      // Still coming: it fills the cache when it lands; nobody waits for it.
      fresh.catch(() => {});
    } catch {
      // Down, slow, refusing or misconfigured: the page is answered all the same.
    } finally {
      clearTimeout(timer);
    }
    return {
      available: false,
      message: UNAVAILABLE(this.billing.system),
      items: cached?.value ?? [],
      asOf: cached ? new Date(cached.at) : null,
    };
  }
}
