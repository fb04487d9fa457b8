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
  indexes: [{ properties: ['subjectType', 'subjectId'] }, { properties: ['createdAt', 'id'] }],
  properties: {
    id: uuidPk(),
    type: p.string().length(64),
    subjectType: p.string().length(64),
    subjectId: p.string().length(64),
    payload: p.json<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
});
export type DomainEvent = InferEntity<typeof DomainEvent>;
