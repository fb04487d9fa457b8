import { DATA_BUNDLE_DRIVER } from '@handover/contracts/drivers/data-bundle';
import { phoneDigits } from '../dataBundles/dataOrders';
import { inRange, localTime, type ReportFilter } from './filter';
import { allOf, type SqlQuery, sql } from './sql';

/**
 * Seed 002 phase 6's fulfillment report: one row per data order of the range (real orders),
 * narrowed by network, status and phone number as the back office's list is.
 */
export function dataBundleDetailQuery(filter: ReportFilter): SqlQuery {
  const digits = filter.phone ? phoneDigits(filter.phone) : '';
  return sql`
    select ${localTime('r.created_at', filter)} as created_at, o.order_code, o.email,
           r.payload_snapshot->>'network' as network, r.subject as phone_number,
           (r.payload_snapshot->>'sizeGb') || 'GB' as size, r.status,
           (select count(*) from fulfillment_logs l where l.record_id = r.id and l.kind = 'attempt' and l.status = 'failed')::int as failed_attempts,
           r.external_reference_id as reference, i.unit_price_minor as amount_minor, o.currency,
           ${localTime('r.completed_at', filter)} as completed_at,
           case when r.status in ('completed', 'active') and r.completed_at is not null and o.paid_at is not null
                then round(extract(epoch from r.completed_at - o.paid_at))::bigint end as seconds_to_fulfil,
           r.last_error
      from fulfillment_records r join orders o on o.id = r.order_id join order_items i on i.id = r.order_item_id
     where ${allOf(
       inRange('r.created_at', filter),
       sql`r.driver = ${DATA_BUNDLE_DRIVER}`,
       sql`not r.is_test`,
       filter.productId && sql`r.product_id = ${filter.productId}`,
       filter.gateway && sql`o.payment_gateway = ${filter.gateway}`,
       filter.network && sql`r.payload_snapshot->>'network' = ${filter.network}`,
       filter.status && sql`r.status = ${filter.status}`,
       digits && sql`r.subject like ${`%${digits}%`}`,
     )}
     order by r.created_at, r.id`;
}
