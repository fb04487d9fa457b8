import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, p, uuidPk } from './common';

/**
 * The domain events outbox: what happened (`fulfillment.status_changed`, `payment.received`, ...),
 * written in the transaction that made it happen. Listeners in the same process react in that
 * transaction (notifications, alerts); subscribers outside read the rows.
 */
export const DomainEvent = defineEntity({
  name: 'DomainEvent',
  tableName: 'domain_events',
  indexes: [
    { properties: ['subjectType', 'subjectId'] },
    { properties: ['createdAt', 'id'] },
    // The webhook dispatcher reads forward by transaction id; rows arrive nearly in that order,
    // so a block-range index finds the newest for almost nothing on every insert.
    {
      name: 'domain_events_txid_brin',
      expression: 'create index "domain_events_txid_brin" on "domain_events" using brin ("txid")',
    },
  ],
  properties: {
    id: uuidPk(),
    type: p.string().length(64),
    subjectType: p.string().length(64),
    subjectId: p.string().length(64),
    payload: p.json<Record<string, unknown>>(),
    createdAt: createdAt(),
    /**
     * The id of the transaction that wrote the row. Readers of the outbox take rows only from
     * transactions older than every one still running, so a row committed late is never skipped.
     */
    txid: p.bigint('number').defaultRaw('((pg_current_xact_id())::text)::bigint'),
  },
});
export type DomainEvent = InferEntity<typeof DomainEvent>;
