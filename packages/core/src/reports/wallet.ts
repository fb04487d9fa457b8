import type { EntityManager } from '@mikro-orm/postgresql';
import { inRange, localTime, type ReportFilter } from './filter';
import { allOf, rowsOf, type SqlQuery, sql } from './sql';

/**
 * Wallet movements of the range. Product and driver narrow purchases to orders holding them; a
 * top-up has no product, so those filters leave top-ups out. Purchases of test orders are left out.
 */
function entriesOf(filter: ReportFilter): SqlQuery {
  const narrowed = filter.productId || filter.driver;
  return allOf(
    inRange('e.created_at', filter),
    sql`not coalesce(o.is_test, false)`,
    narrowed ? sql`e.order_id is not null` : undefined,
    filter.productId &&
      sql`exists (select 1 from order_items i where i.order_id = e.order_id and i.product_id = ${filter.productId})`,
    filter.driver &&
      sql`exists (select 1 from order_items i where i.order_id = e.order_id and i.driver = ${filter.driver})`,
  );
}

export interface WalletSummary {
  currency: string;
  topUps: number;
  topUpsMinor: number;
  purchases: number;
  spentMinor: number;
  refundedMinor: number;
}

/** Money into wallets (top-ups, refunds to the wallet) and out of them (purchases), by currency. */
export async function walletSummary(em: EntityManager, filter: ReportFilter): Promise<WalletSummary[]> {
  const query = sql`
    select a.currency,
           count(*) filter (where e.reason = 'top_up')::int as top_ups,
           coalesce(sum(e.amount_minor) filter (where e.reason = 'top_up'), 0)::bigint as top_ups_minor,
           count(*) filter (where e.reason = 'purchase')::int as purchases,
           coalesce(-sum(e.amount_minor) filter (where e.reason = 'purchase'), 0)::bigint as spent_minor,
           coalesce(sum(e.amount_minor) filter (where e.reason = 'refund'), 0)::bigint as refunded_minor
      from wallet_entries e join wallet_accounts a on a.id = e.account_id left join orders o on o.id = e.order_id
     where ${entriesOf(filter)}
     group by a.currency order by a.currency`;
  const rows = await rowsOf<{
    currency: string;
    top_ups: number;
    top_ups_minor: string;
    purchases: number;
    spent_minor: string;
    refunded_minor: string;
  }>(em, query);
  return rows.map((row) => ({
    currency: row.currency,
    topUps: row.top_ups,
    topUpsMinor: Number(row.top_ups_minor),
    purchases: row.purchases,
    spentMinor: Number(row.spent_minor),
    refundedMinor: Number(row.refunded_minor),
  }));
}

/** The wallet download: one row per ledger entry of the range. */
export function walletDetailQuery(filter: ReportFilter): SqlQuery {
  return sql`
    select ${localTime('e.created_at', filter)} as created_at, e.reason, a.currency, e.amount_minor::bigint as amount_minor,
           e.balance_after_minor::bigint as balance_after_minor, o.order_code, e.description
      from wallet_entries e join wallet_accounts a on a.id = e.account_id left join orders o on o.id = e.order_id
     where ${entriesOf(filter)}
     order by e.created_at, e.id`;
}
