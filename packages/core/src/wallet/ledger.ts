import { randomUUID } from 'node:crypto';
import type { WalletEntryReason } from '@handover/contracts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '../errors';
import { formatMoney } from '../money';

export interface WalletMovement {
  userId: string;
  currency: string;
  /** Positive. */
  amountMinor: number;
  reason: WalletEntryReason;
  /** Makes the movement happen once: the same reference again changes nothing. */
  reference: string;
  orderId?: string | null;
  description?: string;
}

export interface WalletEntryRow {
  entryId: string;
  balanceAfterMinor: number;
  /** False when the reference had already moved the wallet (nothing changed this time). */
  applied: boolean;
}

/**
 * The customer's wallet row in this currency, locked for the rest of the transaction: every
 * movement of one wallet waits for the one before it, so concurrent purchases cannot both
 * spend the same money.
 */
async function lockAccount(em: EntityManager, userId: string, currency: string) {
  await em.execute(
    `insert into wallet_accounts (id, user_id, currency) values (?, ?, ?) on conflict (user_id, currency) do nothing`,
    [randomUUID(), userId, currency],
  );
  const [account] = await em.execute<{ id: string; balance_minor: number }[]>(
    'select id, balance_minor from wallet_accounts where user_id = ? and currency = ? for update',
    [userId, currency],
  );
  if (!account) throw new Error(`wallet of user ${userId} in ${currency} vanished`);
  return account;
}

async function move(em: EntityManager, movement: WalletMovement, signedAmount: number): Promise<WalletEntryRow> {
  if (!Number.isInteger(movement.amountMinor) || movement.amountMinor <= 0) {
    throw new ValidationError('A wallet movement is a positive whole number of minor units.');
  }
  const account = await lockAccount(em, movement.userId, movement.currency);
  const [done] = await em.execute<{ id: string; balance_after_minor: number }[]>(
    'select id, balance_after_minor from wallet_entries where account_id = ? and reference = ?',
    [account.id, movement.reference],
  );
  if (done) return { entryId: done.id, balanceAfterMinor: done.balance_after_minor, applied: false };

  const balanceAfter = account.balance_minor + signedAmount;
  if (balanceAfter < 0) {
    const message = `Your wallet holds ${formatMoney(account.balance_minor, movement.currency)}; this costs ${formatMoney(movement.amountMinor, movement.currency)}. Top it up or choose another way to pay.`;
    throw new ValidationError(message, { gateway: [message] });
  }
  const entryId = randomUUID();
  await em.execute(
    `insert into wallet_entries (id, account_id, amount_minor, balance_after_minor, reason, reference, order_id, description)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      entryId,
      account.id,
      signedAmount,
      balanceAfter,
      movement.reason,
      movement.reference,
      movement.orderId ?? null,
      movement.description ?? '',
    ],
  );
  // The check constraint (balance_minor >= 0) refuses an overdraw even if this lock were bypassed.
  await em.execute('update wallet_accounts set balance_minor = ?, updated_at = now() where id = ?', [
    balanceAfter,
    account.id,
  ]);
  return { entryId, balanceAfterMinor: balanceAfter, applied: true };
}

/** Adds money to the wallet (a top-up, a refund to the wallet), in `em`'s transaction. */
export function creditWallet(em: EntityManager, movement: WalletMovement): Promise<WalletEntryRow> {
  return move(em, movement, movement.amountMinor);
}

/**
 * Takes money from the wallet for a purchase, in the purchase's own transaction (seed 002: the
 * wallet is debited with the order). Refused, changing nothing, when the balance is short.
 */
export function debitWallet(em: EntityManager, movement: WalletMovement): Promise<WalletEntryRow> {
  return move(em, movement, -movement.amountMinor);
}
