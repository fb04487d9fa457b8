import { randomUUID } from 'node:crypto';
import { type WebhookEventPattern, webhookPatternsMatch } from '@handover/contracts';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';
import { addJob, jobSpec } from '../jobs/addJob';
import { type StoredDomainEvent, WEBHOOK_SOURCE_EVENTS, webhookEventsOf } from './webhookEvents';

/** Events read per transaction. */
const BATCH = 200;

/** Past every event id: a cursor at (txid, LAST_ID) is past the whole of that transaction. */
const LAST_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

export interface DispatchResult {
  /** Domain events read. */
  events: number;
  /** Deliveries made (one per event and endpoint that wants it). */
  deliveries: number;
  /** A full batch was read: there may be more right now. */
  more: boolean;
  /** Whether any endpoint is on: with none, the dispatcher need not look again until one is made. */
  listening: boolean;
}

interface EndpointRow {
  id: string;
  user_id: string;
  all_orders: boolean;
  events: WebhookEventPattern[];
  created_at: Date;
}

/**
 * Reads the domain events written since the last run and makes a delivery, with its job, for
 * each endpoint that wants one, in one transaction with the cursor's move. Events are read in
 * (transaction id, event id) order, and only from transactions older than every transaction
 * still running: an event committed late, by a transaction that started early, is still ahead
 * of the cursor when it becomes visible. With no endpoint on, the cursor simply moves to the
 * present.
 */
export async function dispatchWebhookEvents(em: EntityManager, clock: Clock): Promise<DispatchResult> {
  return em.transactional(async (tem) => {
    const [cursor] = await tem.execute<{ txid: string; event_id: string }[]>(
      'select txid, event_id from webhook_dispatch_cursor where id = 1 for update',
    );
    const [{ horizon } = { horizon: '0' }] = await tem.execute<{ horizon: string }[]>(
      'select pg_snapshot_xmin(pg_current_snapshot())::text as horizon',
    );
    const moveTo = (txid: string, eventId: string) =>
      tem.execute(
        `insert into webhook_dispatch_cursor (id, txid, event_id, updated_at) values (1, ?, ?, now())
         on conflict (id) do update set txid = excluded.txid, event_id = excluded.event_id, updated_at = now()`,
        [txid, eventId],
      );
    const [{ listening } = { listening: false }] = await tem.execute<{ listening: boolean }[]>(
      'select exists (select 1 from webhook_endpoints where disabled_at is null) as listening',
    );
    if (!cursor || !listening) {
      if (!cursor || BigInt(horizon) - 1n >= BigInt(cursor.txid))
        await moveTo((BigInt(horizon) - 1n).toString(), LAST_ID);
      return { events: 0, deliveries: 0, more: false, listening };
    }

    const rows = await tem.execute<
      { id: string; type: string; payload: Record<string, unknown>; created_at: Date; txid: string }[]
    >(
      `select id, type, payload, created_at, txid::text as txid from domain_events
        where txid >= ? and txid < ? and (txid, id) > (?::bigint, ?::uuid)
          and type in (${WEBHOOK_SOURCE_EVENTS.map(() => '?').join(', ')})
        order by txid, id limit ?`,
      [cursor.txid, horizon, cursor.txid, cursor.event_id, ...WEBHOOK_SOURCE_EVENTS, BATCH],
    );
    const outgoing = rows.flatMap((row) => {
      const stored: StoredDomainEvent = {
        id: row.id,
        type: row.type,
        payload: row.payload,
        createdAt: new Date(row.created_at),
      };
      return webhookEventsOf(stored).map((event) => ({ ...event, eventId: row.id, at: stored.createdAt }));
    });

    const owners = [...new Set(outgoing.map((event) => event.ownerId))];
    const endpoints =
      owners.length > 0
        ? await tem.execute<EndpointRow[]>(
            `select id, user_id, all_orders, events, created_at from webhook_endpoints
              where disabled_at is null and (all_orders or user_id = any(?::uuid[]))`,
            [`{${owners.join(',')}}`],
          )
        : [];
    let deliveries = 0;
    for (const event of outgoing) {
      for (const endpoint of endpoints) {
        if (!endpoint.all_orders && endpoint.user_id !== event.ownerId) continue;
        if (!webhookPatternsMatch(endpoint.events, event.type)) continue;
        // An endpoint hears about what happens after it was made, not before.
        if (new Date(endpoint.created_at) > event.at) continue;
        const id = randomUUID();
        const inserted = await tem.execute<{ id: string }[]>(
          `insert into webhook_deliveries
             (id, endpoint_id, event_id, event_type, message_id, payload, next_attempt_at, created_at, updated_at)
           values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
           on conflict (endpoint_id, event_id, event_type) do nothing
           returning id`,
          [
            id,
            endpoint.id,
            event.eventId,
            event.type,
            `msg_${id.replaceAll('-', '')}`,
            JSON.stringify(event.payload),
            clock.now(),
            clock.now(),
            clock.now(),
          ],
        );
        if (inserted.length === 0) continue;
        await addJob(tem, jobSpec('deliver_webhook', { deliveryId: id, trigger: 'scheduled' }, { newRow: true }));
        deliveries += 1;
      }
    }

    const last = rows[rows.length - 1];
    const more = rows.length === BATCH;
    // A short batch read everything before the horizon: the cursor moves to it.
    if (more && last) await moveTo(last.txid, last.id);
    else if (BigInt(horizon) - 1n >= BigInt(cursor.txid)) await moveTo((BigInt(horizon) - 1n).toString(), LAST_ID);
    return { events: rows.length, deliveries, more, listening };
  });
}
