import { WALLET_ENTRY_REASONS } from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, updatedAt, uuidPk } from './common';
import { Order } from './orders';
import { User } from './users';

/**
 * A customer's wallet in one currency (seed 002). The balance is the ledger's running total; a
 * purchase locks this row, and the check constraint refuses a negative balance whatever happens.
 */
export const WalletAccount = defineEntity({
  name: 'WalletAccount',
  tableName: 'wallet_accounts',
  uniques: [{ properties: ['user', 'currency'] }],
  checks: [{ property: 'balanceMinor', expression: 'balance_minor >= 0' }],
  properties: {
    id: uuidPk(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    currency: p.string().length(3),
    balanceMinor: p.integer().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type WalletAccount = InferEntity<typeof WalletAccount>;

/** One credit (positive) or debit (negative) of a wallet; `reference` makes each movement happen once. */
export const WalletEntry = defineEntity({
  name: 'WalletEntry',
  tableName: 'wallet_entries',
  uniques: [{ properties: ['account', 'reference'] }],
  checks: [{ property: 'amountMinor', expression: 'amount_minor <> 0' }],
  indexes: [{ properties: ['account', 'createdAt'] }],
  properties: {
    id: uuidPk(),
    account: () => p.manyToOne(WalletAccount).deleteRule('cascade'),
    amountMinor: p.integer(),
    balanceAfterMinor: p.integer(),
    reason: oneOf(WALLET_ENTRY_REASONS),
    /** e.g. `top_up:<pending order id>`, `purchase:<order id>`, `refund:<refund id>`. */
    reference: p.string(),
    order: () => p.manyToOne(Order).nullable().deleteRule('set null'),
    description: p.string().default(''),
    createdAt: createdAt(),
  },
});
export type WalletEntry = InferEntity<typeof WalletEntry>;
