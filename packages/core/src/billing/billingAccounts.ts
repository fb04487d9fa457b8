import { BillingAccount, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../errors';
import type { BillingCustomer, BillingSystem } from './billingSystem';

/** What the mapping says of a customer, for the portal and ops. */
export interface BillingAccountView {
  userId: string;
  system: string;
  clientId: string;
  customerNumber: string | null;
  operatorAccountId: string | null;
  createdAt: Date;
}

const view = (row: BillingAccount): BillingAccountView => ({
  userId: row.user.id,
  system: row.system,
  clientId: row.externalClientId,
  customerNumber: row.customerNumber ?? null,
  operatorAccountId: row.operatorAccountId ?? null,
  createdAt: row.createdAt,
});

/** The customer's mapping, when their billing client exists. */
export async function findBillingAccount(em: EntityManager, userId: string): Promise<BillingAccountView | null> {
  const row = await em.fork().findOne(BillingAccount, { user: userId });
  return row ? view(row) : null;
}

/**
 * Seed 004's customer mapping: the customer's client in the billing system, made the first time
 * it is needed (sign-up's welcome, the first billed order, the payment-method page) and kept
 * with the customer number. One client per customer: callers for one customer take turns
 * (a transaction-scoped advisory lock on the user), the second finds the first's row, and the
 * billing system is asked to find before it creates, so a retry after a lost answer adopts the
 * client the first attempt made.
 */
export async function ensureBillingAccount(
  em: EntityManager,
  billing: BillingSystem,
  userId: string,
): Promise<BillingAccountView> {
  const existing = await findBillingAccount(em, userId);
  if (existing) return existing;
  return em.fork().transactional(async (tem) => {
    await tem.execute(`select pg_advisory_xact_lock(hashtextextended('billing_account:' || ?, 0))`, [userId]);
    const found = await tem.findOne(BillingAccount, { user: userId }, { refresh: true });
    if (found) return view(found);
    const user = await tem.findOne(User, userId);
    if (!user) throw new NotFoundError(`No customer with id ${userId}.`);
    const customer: BillingCustomer = {
      userId: user.id,
      email: user.email,
      name: user.name ?? null,
      company: user.company ?? null,
      phone: user.phone ?? null,
      customerNumber: user.customerNumber ?? null,
      address: user.address ?? null,
    };
    const { clientId } = await billing.findOrCreateClient(customer);
    const row = tem.create(BillingAccount, {
      user: tem.getReference(User, user.id),
      system: billing.system,
      externalClientId: clientId,
      customerNumber: customer.customerNumber,
      operatorAccountId: null,
    });
    await tem.flush();
    return view(row);
  });
}

/** Ops' view: every customer's mapping, newest first, optionally one customer's. */
export async function listBillingAccounts(
  em: EntityManager,
  filter: { userId?: string; limit?: number } = {},
): Promise<(BillingAccountView & { email: string })[]> {
  const rows = await em.fork().find(BillingAccount, filter.userId ? { user: filter.userId } : {}, {
    populate: ['user'],
    orderBy: { createdAt: 'desc' },
    limit: filter.limit ?? 100,
  });
  return rows.map((row) => ({ ...view(row), email: (row.user as User).email }));
}
