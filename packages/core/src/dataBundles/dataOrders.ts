import type { FulfillmentStatus } from '@handover/contracts';
import { DATA_BUNDLE_DRIVER, type DataNetworkId } from '@handover/contracts/drivers/data-bundle';
import { AdminAlert } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, recordActivity } from '../activity/activity';
import { recordAlertEvent } from '../alerts/alerts';
import { Conditions, containing, type KeysetOptions, type KeysetPage, keysetPage } from '../backoffice/sql';
import { enqueueFulfillment } from '../fulfillment/jobs';

/** The step that holds a bundle while the reseller's float is short (the data-bundle driver's). */
export const FLOAT_HOLD_STEP = 'deliver_bundle';

/** Seed 002 phase 6: the back office's filters on data orders. */
export interface DataOrderFilter {
  network?: DataNetworkId;
  status?: FulfillmentStatus;
  createdFrom?: Date;
  createdTo?: Date;
  /** Any part of the number, as typed: `0271234567`, `+233 27…`, `1234567`. */
  phone?: string;
}

/** One data order (a data-bundle fulfillment record) as ops see it. */
export interface DataOrderRow {
  id: string;
  orderId: string;
  orderCode: string;
  network: string;
  phoneNumber: string;
  sizeGb: number;
  status: FulfillmentStatus;
  statusReason: string | null;
  attempts: number;
  maxAttempts: number;
  /** The reseller's reference, once it took the order. */
  reference: string | null;
  lastError: string | null;
  /** Held until ops say the reseller's float is topped up. */
  heldForFloat: boolean;
  amountMinor: number;
  currency: string;
  customerEmail: string;
  createdAt: Date;
  completedAt: Date | null;
}

interface Row {
  id: string;
  cursor_at: string;
  order_id: string;
  order_code: string;
  network: string;
  phone_number: string;
  size_gb: number;
  status: FulfillmentStatus;
  status_reason: string | null;
  attempts: number;
  max_attempts: number;
  reference: string | null;
  last_error: string | null;
  current_step: string | null;
  next_attempt_at: Date | null;
  amount_minor: number;
  currency: string;
  email: string;
  created_at: Date;
  completed_at: Date | null;
}

/** A record waiting for the float: awaiting the provider in the delivery step with no poll planned. */
const HELD = `r.status = 'awaiting_provider' and r.current_step = '${FLOAT_HOLD_STEP}' and r.next_attempt_at is null`;

/** The phone filter's digits, without a country or trunk prefix, to match any form of the number. */
export function phoneDigits(text: string): string {
  const digits = text.replace(/\D/g, '');
  return digits.replace(/^(233|0)/, '');
}

export async function listDataOrders(
  em: EntityManager,
  filter: DataOrderFilter,
  page: KeysetOptions,
): Promise<KeysetPage<DataOrderRow>> {
  const digits = filter.phone ? phoneDigits(filter.phone) : '';
  const where = new Conditions()
    .add('r.driver = ?', DATA_BUNDLE_DRIVER)
    .when(filter.network, "r.payload_snapshot->>'network' = ?")
    .when(filter.status, 'r.status = ?')
    .when(filter.createdFrom, 'r.created_at >= ?')
    .when(filter.createdTo, 'r.created_at <= ?')
    .when(digits, 'r.subject like ?', containing);
  const { rows, ...rest } = await keysetPage<Row>(
    em,
    {
      columns: `r.id, r.order_id, o.order_code, r.payload_snapshot->>'network' as network, r.subject as phone_number,
                (r.payload_snapshot->>'sizeGb')::int as size_gb, r.status, r.status_reason, r.attempts, r.max_attempts,
                r.external_reference_id as reference, r.last_error, r.current_step, r.next_attempt_at,
                i.unit_price_minor as amount_minor, o.currency, o.email, r.created_at, r.completed_at`,
      from: 'fulfillment_records r join orders o on o.id = r.order_id join order_items i on i.id = r.order_item_id',
      alias: 'r',
      where,
    },
    page,
  );
  return { ...rest, items: rows.map(toDataOrder) };
}

function toDataOrder(row: Row): DataOrderRow {
  return {
    id: row.id,
    orderId: row.order_id,
    orderCode: row.order_code,
    network: row.network,
    phoneNumber: row.phone_number,
    sizeGb: row.size_gb,
    status: row.status,
    statusReason: row.status_reason,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    reference: row.reference,
    lastError: row.last_error,
    heldForFloat:
      row.status === 'awaiting_provider' && row.current_step === FLOAT_HOLD_STEP && row.next_attempt_at === null,
    amountMinor: row.amount_minor,
    currency: row.currency,
    customerEmail: row.email,
    createdAt: new Date(row.created_at),
    completedAt: row.completed_at ? new Date(row.completed_at) : null,
  };
}

/** How many bundles of each network wait for the reseller's float. */
export async function countHeldForFloat(em: EntityManager): Promise<Record<string, number>> {
  const rows = await em.execute<{ network: string; held: number }[]>(
    `select r.payload_snapshot->>'network' as network, count(*)::int as held
       from fulfillment_records r where r.driver = ? and ${HELD} group by 1`,
    [DATA_BUNDLE_DRIVER],
  );
  return Object.fromEntries(rows.map((row) => [row.network, row.held]));
}

/**
 * Ops say the reseller's float for `network` is topped up (seed 002 error 3): every bundle held
 * for it gets its `fulfill` job back, oldest first, and the float alert is closed so that a float
 * still short raises a new one. Returns how many were resumed.
 */
export async function resumeHeldBundles(
  em: EntityManager,
  network: DataNetworkId,
  actor: Actor,
  now: Date,
): Promise<number> {
  return em.transactional(async (tem) => {
    const held = await tem.execute<{ id: string }[]>(
      `select r.id from fulfillment_records r
        where r.driver = ? and r.payload_snapshot->>'network' = ? and ${HELD}
        order by r.created_at limit 5000`,
      [DATA_BUNDLE_DRIVER, network],
    );
    for (const { id } of held) await enqueueFulfillment(tem, id);
    const closed = await tem.execute<{ id: string }[]>(
      `update admin_alerts set acknowledged_at = coalesce(acknowledged_at, ?),
              acknowledged_by_id = coalesce(acknowledged_by_id, ?), resolved_at = ?
        where dedupe_key = ? and resolved_at is null returning id`,
      [now, actor.type === 'user' ? actor.id : null, now, floatAlertKey(network)],
    );
    for (const { id } of closed) {
      recordAlertEvent(tem, tem.getReference(AdminAlert, id), 'resolved', 'float topped up', now);
    }
    recordActivity(tem, {
      action: 'data_bundles.float_topped_up',
      subjectType: 'data_network',
      subjectId: network,
      actor,
      description: `${network} float topped up: ${held.length} held bundle(s) resumed`,
      properties: { resumed: held.length },
    });
    return held.length;
  });
}

/** The dedupe key of a network's "float too low" alert: one open alert however many bundles wait. */
export const floatAlertKey = (network: string) => `reseller_float:${network}`;
