import { DATA_BUNDLE_DRIVER } from '@handover/contracts/drivers/data-bundle';
import { ResellerShop, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError } from '../errors';
import { optedOutOf } from '../notifications/sms';

export interface Shop {
  name: string;
  createdAt: Date;
}

/** One number a reseller bought bundles for (seed 002: "customer tracked"), with totals per currency. */
export interface ShopCustomer {
  /** E.164. */
  phoneNumber: string;
  /** The network of the latest bundle for the number. */
  network: string;
  purchases: number;
  delivered: number;
  /** What the bundles for this number cost the reseller, in minor units of `currency`. */
  totalMinor: number;
  currency: string;
  lastPurchasedAt: Date;
  /** False when the number asked never to be texted. */
  texts: boolean;
}

export async function getShop(em: EntityManager, userId: string): Promise<Shop | null> {
  const shop = await em.findOne(ResellerShop, { user: userId });
  return shop ? { name: shop.name, createdAt: shop.createdAt } : null;
}

/** Opens the account's shop: from now on it sees the numbers it bought bundles for. */
export async function openShop(em: EntityManager, userId: string, name: string): Promise<Shop> {
  return em.transactional(async (tem) => {
    if ((await tem.count(ResellerShop, { user: userId })) > 0)
      throw new ConflictError('This account already has a shop.');
    const shop = tem.create(ResellerShop, { user: tem.getReference(User, userId), name });
    await tem.flush();
    return { name: shop.name, createdAt: shop.createdAt };
  });
}

interface CustomerRow {
  phone_number: string;
  network: string;
  purchases: number;
  delivered: number;
  total_minor: string;
  currency: string;
  last_purchased_at: Date;
}

/**
 * The numbers the account bought bundles for, most recent first: every paid bundle counts
 * (delivered or not), and `delivered` says how many arrived. Read from the orders themselves,
 * so the totals are always the orders' totals. Empty for an account without a shop.
 */
export async function listShopCustomers(em: EntityManager, userId: string): Promise<ShopCustomer[]> {
  if ((await em.count(ResellerShop, { user: userId })) === 0) return [];
  const rows = await em.execute<CustomerRow[]>(
    `select r.subject as phone_number,
            (array_agg(r.payload_snapshot->>'network' order by r.created_at desc))[1] as network,
            count(*)::int as purchases,
            count(*) filter (where r.status in ('completed', 'active'))::int as delivered,
            sum(i.unit_price_minor)::bigint as total_minor, o.currency,
            max(r.created_at) as last_purchased_at
       from fulfillment_records r
       join orders o on o.id = r.order_id
       join order_items i on i.id = r.order_item_id
      where o.user_id = ? and r.driver = ? and not o.is_test and r.subject is not null
      group by r.subject, o.currency
      order by max(r.created_at) desc
      limit 1000`,
    [userId, DATA_BUNDLE_DRIVER],
  );
  const silenced = await optedOutOf(
    em,
    rows.map((row) => row.phone_number),
  );
  return rows.map((row) => ({
    phoneNumber: row.phone_number,
    network: row.network,
    purchases: row.purchases,
    delivered: row.delivered,
    totalMinor: Number(row.total_minor),
    currency: row.currency,
    lastPurchasedAt: new Date(row.last_purchased_at),
    texts: !silenced.has(row.phone_number),
  }));
}
