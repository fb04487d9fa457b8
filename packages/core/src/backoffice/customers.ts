import { Order, Payment, Refund, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findBillingAccount } from '../billing/billingAccounts';
import { NotFoundError } from '../errors';
import type { PaymentGateways } from '../payments/gateways';
import { toRefundView } from '../refunds/views';
import { listCustomerSubscriptions } from '../subscriptions/subscriptionViews';
import { getWalletBalances } from '../wallet/walletQueries';
import { listNotes } from './notes';
import { listOrders } from './orders';
import { Conditions, containing, type KeysetOptions, type KeysetPage, keysetPage } from './sql';

export interface CustomerRow {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  emailVerifiedAt: Date | null;
  disabledAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
}

interface Row {
  id: string;
  cursor_at: string;
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  email_verified_at: Date | null;
  disabled_at: Date | null;
  last_login_at: Date | null;
  created_at: Date;
}

export interface CustomerFilter {
  q?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

/** The customers list's filter as SQL over `users u`: its pages, totals and export share it. */
export function customerConditions(filter: CustomerFilter): Conditions {
  const where = new Conditions()
    .add(`u.role = 'customer'`)
    .when(filter.createdFrom, 'u.created_at >= ?')
    .when(filter.createdTo, 'u.created_at <= ?');
  const q = filter.q?.trim();
  if (q) {
    const like = containing(q);
    // Each way of matching has its trigram index; united rather than OR-ed, so neither scans.
    where.add(
      `u.id in (select id from users where email ilike ? union select id from users where name ilike ?)`,
      like,
      like,
    );
  }
  return where;
}

/** Customers newest first (or oldest), searched by part of their email or name. */
export async function listCustomers(
  em: EntityManager,
  filter: CustomerFilter,
  page: KeysetOptions,
): Promise<KeysetPage<CustomerRow>> {
  const where = customerConditions(filter);
  const { rows, ...rest } = await keysetPage<Row>(
    em,
    {
      columns:
        'u.id, u.email, u.name, u.phone, u.company, u.email_verified_at, u.disabled_at, u.last_login_at, u.created_at',
      from: 'users u',
      alias: 'u',
      where,
    },
    page,
  );
  return {
    ...rest,
    items: rows.map((row) => ({
      id: row.id,
      email: row.email,
      name: row.name,
      phone: row.phone,
      company: row.company,
      emailVerifiedAt: row.email_verified_at ? new Date(row.email_verified_at) : null,
      disabledAt: row.disabled_at ? new Date(row.disabled_at) : null,
      lastLoginAt: row.last_login_at ? new Date(row.last_login_at) : null,
      createdAt: new Date(row.created_at),
    })),
  };
}

/**
 * One customer as staff see them: profile, latest orders, payments and refunds, wallet,
 * subscriptions, the billing system's mapping and staff notes. Never a password hash. Any
 * account that ordered has this page (a staff member's own test order links here too).
 */
export async function getCustomerForStaff(em: EntityManager, userId: string, gateways: PaymentGateways) {
  const user = await em.findOne(User, { id: userId });
  if (!user) throw new NotFoundError('No customer with this id.');
  const [orders, orderCount, payments, refunds, wallet, subscriptions, billingAccount, notes] = await Promise.all([
    listOrders(em, { userId }, { limit: 50, order: 'desc' }),
    em.count(Order, { user: userId }),
    em.find(Payment, { user: userId }, { populate: ['order'], orderBy: { paidAt: 'desc', id: 'asc' }, limit: 50 }),
    em.find(
      Refund,
      { order: { user: userId } },
      { populate: ['order', 'requestedBy'], orderBy: { createdAt: 'desc', id: 'asc' }, limit: 50 },
    ),
    getWalletBalances(em, userId),
    listCustomerSubscriptions(em, userId, gateways),
    findBillingAccount(em, userId),
    listNotes(em, 'customer', userId),
  ]);
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    name: user.name ?? null,
    phone: user.phone ?? null,
    company: user.company ?? null,
    customerNumber: user.customerNumber ?? null,
    address: user.address ?? null,
    emailVerifiedAt: user.emailVerifiedAt ?? null,
    lastLoginAt: user.lastLoginAt ?? null,
    disabledAt: user.disabledAt ?? null,
    createdAt: user.createdAt,
    orderCount,
    orders: orders.items,
    payments: payments.map((payment) => ({
      id: payment.id,
      orderId: payment.order?.id ?? null,
      orderCode: (payment.order as Order | null)?.orderCode ?? null,
      gateway: payment.gateway,
      purpose: payment.purpose,
      amountMinor: payment.amountMinor,
      refundedMinor: payment.refundedMinor,
      currency: payment.currency,
      status: payment.status,
      paidAt: payment.paidAt,
    })),
    refunds: refunds.map((refund) => ({ ...toRefundView(refund), orderCode: (refund.order as Order).orderCode })),
    wallet,
    subscriptions,
    billingAccount,
    notes,
  };
}

export type StaffCustomer = Awaited<ReturnType<typeof getCustomerForStaff>>;
