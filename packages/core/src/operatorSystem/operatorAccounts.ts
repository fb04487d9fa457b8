import { BillingAccount, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OperatorSystem } from './operatorSystem';

/**
 * The customer's account in the operator system (seed 004's mapping: portal user ↔ billing client
 * ↔ operator account): the one kept on their billing account, or else the one whose customer number
 * is theirs, then kept there for ops and the next look. Null when they have no customer number or
 * the operator system has no such account.
 */
export async function operatorAccountOf(
  em: EntityManager,
  operatorSystem: OperatorSystem,
  userId: string,
): Promise<string | null> {
  const fork = em.fork();
  const mapped = await fork.findOne(BillingAccount, { user: userId });
  if (mapped?.operatorAccountId) return mapped.operatorAccountId;
  const user = await fork.findOne(User, userId, { fields: ['customerNumber'] });
  if (!user?.customerNumber) return null;
  const accountId = await operatorSystem.findAccountId(user.customerNumber);
  if (accountId) {
    await fork.nativeUpdate(
      BillingAccount,
      { user: userId, operatorAccountId: null },
      { operatorAccountId: accountId, updatedAt: new Date() },
    );
  }
  return accountId;
}
