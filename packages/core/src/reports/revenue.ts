import type { EntityManager } from '@mikro-orm/postgresql';
import { inRange, localDay, localTime, type ReportFilter } from './filter';
import { allOf, raw, rowsOf, type SqlQuery, sql } from './sql';

/**
 * Every money movement of the range, one row each: payments for orders and renewals (gross) and
 * succeeded refunds, of orders that have items. Test orders and wallet top-ups (money that is not
 * yet a sale: it counts when spent) are left out.
 *
 * Columns: type, id, at, gateway, currency, amount, order_id, order_code.
 */
function revenueMovements(filter: ReportFilter): SqlQuery {
  const paid = allOf(
    sql`p.purpose in ('order', 'renewal')`,
    sql`not o.is_test`,
    inRange('p.paid_at', filter),
    filter.gateway && sql`p.gateway = ${filter.gateway}`,
  );
  const refunded = allOf(
    sql`r.status = 'succeeded'`,
    sql`not o.is_test`,
    inRange('r.completed_at', filter),
    filter.gateway && sql`r.gateway = ${filter.gateway}`,
  );
  return sql`
      select 'payment' as type, p.id, p.paid_at as at, p.gateway, p.currency, p.amount_minor::bigint as amount,
             o.id as order_id, o.order_code
        from payments p join orders o on o.id = p.order_id
       where ${paid}
      union all
      select 'refund', r.id, r.completed_at, r.gateway, r.currency, r.amount_minor::bigint, o.id, o.order_code
        from refunds r join orders o on o.id = r.order_id
       where ${refunded}`;
}

/**
 * Every money movement of the range, one row per order item it touches, each movement split over
 * its order's items in proportion to their price, in integer minor units. The first item (by
 * creation) takes the remainder of the split, so a movement's rows add up to exactly its amount.
 * The split is done with window functions over the movement's rows, in one sort.
 *
 * Columns: type, movement_id, at, gateway, currency, order_code, product_id, product_name,
 * driver, gross_minor, refund_minor.
 */
export function revenueLines(filter: ReportFilter): SqlQuery {
  const item = allOf(
    filter.productId && sql`product_id = ${filter.productId}`,
    filter.driver && sql`driver = ${filter.driver}`,
  );
  return sql`
    with split as (
      select m.type, m.id, m.at, m.gateway, m.currency, m.order_code, m.amount,
             i.product_id, i.product_name, i.driver, i.quantity::bigint * i.unit_price_minor as weight,
             (sum(i.quantity::bigint * i.unit_price_minor) over movement)::bigint as total,
             row_number() over (movement order by i.created_at, i.id) = 1 as takes_remainder
        from (${revenueMovements(filter)}) m
        join order_items i on i.order_id = m.order_id
      window movement as (partition by m.type, m.id)
    ), shared as (
      select split.*,
             case when total > 0 then amount * weight / total when takes_remainder then amount else 0 end as share
        from split
    ), lines as (
      select type, id as movement_id, at, gateway, currency, order_code, product_id, product_name, driver,
             share + case when takes_remainder
               then amount - (sum(share) over (partition by type, id))::bigint else 0 end as amount
        from shared
    )
    select type, movement_id, at, gateway, currency, order_code, product_id, product_name, driver,
           case when type = 'payment' then amount else 0 end as gross_minor,
           case when type = 'refund' then amount else 0 end as refund_minor
      from lines
     where ${item}`;
}

/**
 * What the day, gateway and currency figures add up: one row per movement (its amount is what its
 * lines add up to, so nothing needs splitting) unless a product or driver narrows the range to
 * some of an order's items, when the lines themselves are summed.
 *
 * Columns: at, gateway, currency, gross_minor, refund_minor.
 */
function revenueAmounts(filter: ReportFilter): SqlQuery {
  if (filter.productId || filter.driver) {
    return sql`select at, gateway, currency, gross_minor, refund_minor from (${revenueLines(filter)}) l`;
  }
  return sql`
    select at, gateway, currency,
           case when type = 'payment' then amount else 0 end as gross_minor,
           case when type = 'refund' then amount else 0 end as refund_minor
      from (${revenueMovements(filter)}) m
     where exists (select 1 from order_items i where i.order_id = m.order_id)`;
}

/** The revenue-detail download: one row per movement and item, oldest first. */
export function revenueDetailQuery(filter: ReportFilter): SqlQuery {
  return sql`
    select ${localTime('at', filter)} as occurred_at, ${localDay('at', filter)} as day, type, order_code, gateway,
           product_name as product, driver, currency, gross_minor, refund_minor, gross_minor - refund_minor as net_minor
      from (${revenueLines(filter)}) l
     order by at, movement_id, product_id`;
}

export interface MoneyTotals {
  currency: string;
  grossMinor: number;
  refundsMinor: number;
  netMinor: number;
}

const SUMS = `sum(gross_minor)::bigint as gross, sum(refund_minor)::bigint as refunds`;

interface SumRow {
  currency: string;
  gross: string | number;
  refunds: string | number;
}

function totals(row: SumRow): MoneyTotals {
  // bigint sums arrive as text; amounts this size are exact as numbers (under 2^53 minor units).
  const grossMinor = Number(row.gross);
  const refundsMinor = Number(row.refunds);
  return { currency: row.currency, grossMinor, refundsMinor, netMinor: grossMinor - refundsMinor };
}

export function revenueByDayQuery(filter: ReportFilter): SqlQuery {
  return sql`select ${localDay('at', filter)} as day, currency, ${raw(SUMS)}
      from (${revenueAmounts(filter)}) l group by 1, 2 order by 1, 2`;
}

export function revenueByGatewayQuery(filter: ReportFilter): SqlQuery {
  return sql`select gateway, currency, ${raw(SUMS)}
      from (${revenueAmounts(filter)}) l group by 1, 2 order by 1, 2`;
}

export function revenueByProductQuery(filter: ReportFilter): SqlQuery {
  return sql`select product_id, max(product_name) as product, currency, ${raw(SUMS)}
      from (${revenueLines(filter)}) l group by product_id, currency order by product, currency`;
}

export async function revenueByDay(em: EntityManager, filter: ReportFilter) {
  const rows = await rowsOf<SumRow & { day: string }>(em, revenueByDayQuery(filter));
  return rows.map((row) => ({ day: row.day, ...totals(row) }));
}

export async function revenueByGateway(em: EntityManager, filter: ReportFilter) {
  const rows = await rowsOf<SumRow & { gateway: string }>(em, revenueByGatewayQuery(filter));
  return rows.map((row) => ({ gateway: row.gateway, ...totals(row) }));
}

export async function revenueByProduct(em: EntityManager, filter: ReportFilter) {
  const rows = await rowsOf<SumRow & { product_id: string; product: string }>(em, revenueByProductQuery(filter));
  return rows.map((row) => ({ productId: row.product_id, product: row.product, ...totals(row) }));
}

export async function revenueTotals(em: EntityManager, filter: ReportFilter): Promise<MoneyTotals[]> {
  const rows = await rowsOf<SumRow>(
    em,
    sql`select currency, ${raw(SUMS)} from (${revenueAmounts(filter)}) l group by currency order by currency`,
  );
  return rows.map(totals);
}
