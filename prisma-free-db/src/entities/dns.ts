import { DNS_CHECK_STATUSES } from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, updatedAt, uuidPk } from './common';
import { FulfillmentRecord } from './fulfillment';
import { Order } from './orders';

/**
 * Seed 000 phase 5: one domain waiting for its customer to point it at the nameservers handed
 * out, and when the DNS cron looks next. Each lookup lands in fulfillment_logs with its record.
 */
export const DnsCheck = defineEntity({
  name: 'DnsCheck',
  tableName: 'dns_checks',
  indexes: [{ properties: ['status', 'nextCheckAt'] }],
  properties: {
    id: uuidPk(),
    record: () => p.oneToOne(FulfillmentRecord).deleteRule('cascade').unique(),
    order: () => p.manyToOne(Order).deleteRule('cascade').index(),
    /** As DNS carries it: punycode, lower case. */
    domain: p.string(),
    /** The nameservers the provider gave; all must be seen for the domain to be verified. */
    expectedNameservers: p.json<string[]>(),
    status: oneOf(DNS_CHECK_STATUSES).default('pending_verification'),
    /** Lookups that did not find the expected nameservers (the backoff grows with them). */
    failedChecks: p.integer().default(0),
    lastCheckedAt: p.datetime().nullable(),
    nextCheckAt: p.datetime(),
    /** What the last lookup saw, for support ("your domain still points at ..."). */
    lastSeenNameservers: p.json<string[]>().nullable(),
    /** The resolver's own failure on the last lookup, if any. */
    lastError: p.text().nullable(),
    verifiedAt: p.datetime().nullable(),
    /** When ops were told the domain stays unverified (DNS_ALERT_AFTER_DAYS). */
    alertedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type DnsCheck = InferEntity<typeof DnsCheck>;
