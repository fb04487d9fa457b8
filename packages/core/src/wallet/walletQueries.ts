import type { WalletEntryReason } from '@handover/contracts';
import { WalletAccount, WalletEntry } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface WalletBalance {
  currency: string;
  balanceMinor: number;
}

export interface WalletLedgerEntry {
  id: string;
  currency: string;
  /** Positive for a credit, negative for a debit. */
  amountMinor: number;
  balanceAfterMinor: number;
  reason: WalletEntryReason;
  orderId: string | null;
  description: string;
  createdAt: Date;
}

/** The user's balance in each currency they have a wallet in. */
export async function getWalletBalances(em: EntityManager, userId: string): Promise<WalletBalance[]> {
  const accounts = await em.find(WalletAccount, { user: userId }, { orderBy: { currency: 'asc' } });
  return accounts.map((account) => ({ currency: account.currency, balanceMinor: account.balanceMinor }));
}

/** The user's wallet movements, newest first. */
export async function listWalletEntries(
  em: EntityManager,
  userId: string,
  { limit, offset }: { limit: number; offset: number },
): Promise<WalletLedgerEntry[]> {
  const entries = await em.find(
    WalletEntry,
    { account: { user: userId } },
    { populate: ['account'], orderBy: { createdAt: 'desc', id: 'asc' }, limit, offset },
  );
  return entries.map((entry) => ({
    id: entry.id,
    currency: entry.account.currency,
    amountMinor: entry.amountMinor,
    balanceAfterMinor: entry.balanceAfterMinor,
    reason: entry.reason,
    orderId: entry.order?.id ?? null,
    description: entry.description,
    createdAt: entry.createdAt,
  }));
}
