import type { EntityManager } from '@mikro-orm/postgresql';
import { inRange, localTime, type ReportFilter } from './filter';
import { allOf, rowsOf, type SqlQuery, sql } from './sql';

function refundsOf(filter: ReportFilter): SqlQuery {
  return allOf(
    sql`r.status = 'succeeded'`,
    sql`not o.is_test`,
    inRange('r.completed_at', filter),
    filter.gateway && sql`r.gateway = ${filter.gateway}`,
    filter.productId &&
      sql`exists (select 1 from order_items i where i.order_id = o.id and i.product_id = ${filter.productId})`,
    filter.driver && sql`exists (select 1 from order_items i where i.order_id = o.id and i.driver = ${filter.driver})`,
  );
}

/** The refunds download: one row per succeeded refund, whole (not split by item). */
export function refundDetailQuery(filter: ReportFilter): SqlQuery {
  return sql`
    select ${localTime('r.completed_at', filter)} as completed_at, o.order_code, r.gateway, r.destination, r.currency,
           r.amount_minor::bigint as amount_minor, p.amount_minor::bigint as payment_minor,
           case when r.amount_minor < p.amount_minor then 'partial' else 'full' end as kind, r.reason
      from refunds r join orders o on o.id = r.order_id join payments p on p.id = r.payment_id
     where ${refundsOf(filter)}
     order by r.completed_at, r.id`;
}

export interface RefundSummary {
  currency: string;
  destination: string;
  count: number;
  partial: number;
  amountMinor: number;
}

/** Succeeded refunds of the range by currency and destination (gateway or wallet), partial ones counted apart. */
export async function refundSummary(em: EntityManager, filter: ReportFilter): Promise<RefundSummary[]> {
  const query = sql`
    select r.currency, r.destination, count(*)::int as count,
           count(*) filter (where r.amount_minor < p.amount_minor)::int as partial,
           sum(r.amount_minor)::bigint as amount
      from refunds r join orders o on o.id = r.order_id join payments p on p.id = r.payment_id
     where ${refundsOf(filter)}
     group by 1, 2 order by 1, 2`;
  const rows = await rowsOf<{ currency: string; destination: string; count: number; partial: number; amount: string }>(
    em,
    query,
  );
  return rows.map((row) => ({
    currency: row.currency,
    destination: row.destination,
    count: row.count,
    partial: row.partial,
    amountMinor: Number(row.amount),
  }));
}
