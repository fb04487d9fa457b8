import type { EntityManager } from '@mikro-orm/postgresql';
import { inRange, localTime, type ReportFilter } from './filter';
import { allOf, raw, rowsOf, type SqlQuery, sql } from './sql';

/** The records of the range (created in it), of real orders, narrowed by the filter. */
function recordsOf(filter: ReportFilter): SqlQuery {
  return allOf(
    inRange('r.created_at', filter),
    sql`not r.is_test`,
    filter.productId && sql`r.product_id = ${filter.productId}`,
    filter.driver && sql`r.driver = ${filter.driver}`,
    filter.gateway && sql`o.payment_gateway = ${filter.gateway}`,
  );
}

const SUCCEEDED = `r.status in ('completed', 'active')`;

export interface DriverFulfillment {
  driver: string;
  records: number;
  succeeded: number;
  failed: number;
  /** Still on their way (queued, waiting, manual, scheduled, draft) or stopped (cancelled, suspended). */
  other: number;
  /** succeeded ÷ (succeeded + failed); null when none has finished. */
  successRate: number | null;
  /** Seconds from payment to fulfilled, over the records that succeeded. */
  p50Seconds: number | null;
  p90Seconds: number | null;
  /** Attempts after the first, summed over the records, and the most any one record needed. */
  retries: number;
  maxRetries: number;
}

/**
 * Per driver: how many records succeeded and failed, how long payment-to-fulfilled took (p50,
 * p90), and how many retries they needed (attempt log rows after each step's first attempt).
 */
export async function fulfillmentByDriver(em: EntityManager, filter: ReportFilter): Promise<DriverFulfillment[]> {
  const query = sql`
    with recs as (
      select r.id, r.driver, r.status, ${raw(SUCCEEDED)} as succeeded,
             case when ${raw(SUCCEEDED)} and r.completed_at is not null and o.paid_at is not null
                  then extract(epoch from r.completed_at - o.paid_at) end as seconds
        from fulfillment_records r join orders o on o.id = r.order_id
       where ${recordsOf(filter)}
    ), retries as (
      select l.record_id, count(*)::int as n from fulfillment_logs l
       where l.record_id in (select id from recs) and l.kind = 'attempt' and l.attempt_number > 1
       group by l.record_id
    )
    select recs.driver, count(*)::int as records,
           count(*) filter (where succeeded)::int as succeeded,
           count(*) filter (where status = 'failed')::int as failed,
           percentile_cont(0.5) within group (order by seconds) as p50,
           percentile_cont(0.9) within group (order by seconds) as p90,
           coalesce(sum(retries.n), 0)::int as retries, coalesce(max(retries.n), 0)::int as max_retries
      from recs left join retries on retries.record_id = recs.id
     group by recs.driver order by recs.driver`;
  const rows = await rowsOf<{
    driver: string;
    records: number;
    succeeded: number;
    failed: number;
    p50: number | null;
    p90: number | null;
    retries: number;
    max_retries: number;
  }>(em, query);
  return rows.map((row) => ({
    driver: row.driver,
    records: row.records,
    succeeded: row.succeeded,
    failed: row.failed,
    other: row.records - row.succeeded - row.failed,
    successRate: row.succeeded + row.failed > 0 ? row.succeeded / (row.succeeded + row.failed) : null,
    p50Seconds: row.p50 === null ? null : Math.round(row.p50),
    p90Seconds: row.p90 === null ? null : Math.round(row.p90),
    retries: row.retries,
    maxRetries: row.max_retries,
  }));
}

/** The fulfillment download: one row per record of the range. */
export function fulfillmentDetailQuery(filter: ReportFilter): SqlQuery {
  return sql`
    select ${localTime('r.created_at', filter)} as created_at, o.order_code, r.driver, p.name as product, r.subject,
           r.status, ${localTime('o.paid_at', filter)} as paid_at, ${localTime('r.completed_at', filter)} as completed_at,
           case when ${raw(SUCCEEDED)} and r.completed_at is not null and o.paid_at is not null
                then round(extract(epoch from r.completed_at - o.paid_at))::bigint end as seconds_to_fulfil,
           (select count(*) from fulfillment_logs l
             where l.record_id = r.id and l.kind = 'attempt' and l.attempt_number > 1)::int as retries,
           r.last_error
      from fulfillment_records r join orders o on o.id = r.order_id join products p on p.id = r.product_id
     where ${recordsOf(filter)}
     order by r.created_at, r.id`;
}

export interface ProviderError {
  driver: string | null;
  httpStatus: number | null;
  error: string;
  count: number;
}

/** Failed provider calls of the range, grouped by driver, HTTP status and message. */
export function providerErrorsQuery(filter: ReportFilter): SqlQuery {
  return sql`
    select l.driver, l.http_status, left(coalesce(l.error_message, ''), 200) as error, count(*)::int as count
      from fulfillment_logs l
      left join fulfillment_records r on r.id = l.record_id
      left join orders o on o.id = l.order_id
     where ${allOf(
       inRange('l.created_at', filter),
       sql`l.status = 'failed'`,
       sql`l.kind = 'provider_call'`,
       sql`not coalesce(o.is_test, false)`,
       filter.driver && sql`l.driver = ${filter.driver}`,
       filter.productId && sql`r.product_id = ${filter.productId}`,
       filter.gateway && sql`o.payment_gateway = ${filter.gateway}`,
     )}
     group by 1, 2, 3 order by count desc, 1, 2, 3`;
}

export async function providerErrors(em: EntityManager, filter: ReportFilter, limit = 50): Promise<ProviderError[]> {
  const rows = await rowsOf<{ driver: string | null; http_status: number | null; error: string; count: number }>(
    em,
    sql`${providerErrorsQuery(filter)} limit ${limit}`,
  );
  return rows.map((row) => ({ driver: row.driver, httpStatus: row.http_status, error: row.error, count: row.count }));
}
