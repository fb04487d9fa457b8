import {
  DOMAIN_TRANSFER_STATUSES,
  HOSTING_PLATFORMS,
  NAME_SERVER_STATUSES,
  ORDER_AUTOMATION_ACTIONS,
  ORDER_AUTOMATION_STATUSES,
} from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, updatedAt, uuidPk } from './common';
import { FulfillmentRecord } from './fulfillment';
import { Order } from './orders';
import { User } from './users';

/** What may be shown of saved credentials: never a whole key. */
export interface CredentialHint {
  /** Namecheap's API user: it names the account, not a secret. */
  apiUser?: string;
  /** The last four characters of the API key. */
  keyEnding: string;
}

/**
 * Seed 001's platform_credentials: a customer's Spaceship or Namecheap API access, saved
 * before checkout (the order line refers to it) and bound to the order that uses it first.
 */
export const PlatformCredential = defineEntity({
  name: 'PlatformCredential',
  tableName: 'platform_credentials',
  properties: {
    id: uuidPk(),
    /** The order that uses them; null until its first record claims them. */
    order: () => p.manyToOne(Order).deleteRule('cascade').nullable().index(),
    platformType: oneOf(HOSTING_PLATFORMS),
    /** The credentials as JSON, AES-256-GCM ciphertext with its key id (secrets:rotate covers it). */
    credentialsEncrypted: p.text(),
    hint: p.json<CredentialHint>(),
    /** Only an order placed under this email may use them. */
    ownerEmail: p.string().length(320),
    /** When the customer was told that a nameserver update failed; cleared when they resubmit. */
    draftNotifiedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type PlatformCredential = InferEntity<typeof PlatformCredential>;

/** Seed 001's domain_transfers: a domain moved to Mailin.ai, and its nameservers at the registrar. */
export const DomainTransfer = defineEntity({
  name: 'DomainTransfer',
  tableName: 'domain_transfers',
  uniques: [{ properties: ['record', 'domainName'] }],
  indexes: [{ properties: ['status', 'nextCheckAt'] }, { properties: ['createdAt', 'id'] }],
  properties: {
    id: uuidPk(),
    order: () => p.manyToOne(Order).deleteRule('cascade').index(),
    record: () => p.manyToOne(FulfillmentRecord).deleteRule('cascade').index(),
    domainName: p.string().index(),
    hostingPlatform: oneOf(HOSTING_PLATFORMS),
    /** What Mailin.ai asked the registrar to delegate the domain to. */
    nameServers: p.json<string[]>(),
    status: oneOf(DOMAIN_TRANSFER_STATUSES).default('pending'),
    nameServerStatus: oneOf(NAME_SERVER_STATUSES).nullable(),
    /** Mailin.ai's answer to the transfer (redacted). */
    responseData: p.json<Record<string, unknown>>().nullable(),
    errorMessage: p.text().nullable(),
    /** The classified error (`ip_not_allowlisted`, `registrar_auth`, ...). */
    errorCode: p.string().length(64).nullable(),
    /** Looks at Mailin.ai while waiting for the domain to turn active. */
    checks: p.integer().default(0),
    lastCheckedAt: p.datetime().nullable(),
    /** When the cron next wakes the record to look again. */
    nextCheckAt: p.datetime().nullable(),
    /** When ops were told the transfer is stuck. */
    alertedAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type DomainTransfer = InferEntity<typeof DomainTransfer>;

/** Seed 001's order_automations: one Mailin.ai job (a batch of mailboxes for a domain). */
export const OrderAutomation = defineEntity({
  name: 'OrderAutomation',
  tableName: 'order_automations',
  indexes: [{ properties: ['status', 'createdAt'] }, { properties: ['createdAt', 'id'] }],
  properties: {
    id: uuidPk(),
    order: () => p.manyToOne(Order).deleteRule('cascade').index(),
    record: () => p.manyToOne(FulfillmentRecord).deleteRule('cascade').index(),
    providerType: p.string().length(64).default('Private SMTP'),
    actionType: oneOf(ORDER_AUTOMATION_ACTIONS),
    /** The domain the job is for, for search. */
    domain: p.string().index(),
    /** Sent with the request; one job per key (the record and step, with its generation). */
    idempotencyKey: p.string().unique(),
    jobUuid: p.string().nullable().index(),
    status: oneOf(ORDER_AUTOMATION_STATUSES).default('pending'),
    mailboxCount: p.integer().default(0),
    /** Mailin.ai's last answer about the job (redacted). */
    responseData: p.json<Record<string, unknown>>().nullable(),
    errorMessage: p.text().nullable(),
    completedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type OrderAutomation = InferEntity<typeof OrderAutomation>;

/** Seed 001's order_emails: one mailbox, its login and its encrypted password. */
export const OrderEmail = defineEntity({
  name: 'OrderEmail',
  tableName: 'order_emails',
  indexes: [{ properties: ['order', 'domain'] }],
  properties: {
    id: uuidPk(),
    order: () => p.manyToOne(Order).deleteRule('cascade'),
    user: () => p.manyToOne(User),
    record: () => p.manyToOne(FulfillmentRecord).deleteRule('cascade').index(),
    automation: () => p.manyToOne(OrderAutomation).deleteRule('set null').nullable(),
    domain: p.string(),
    /** The full address, `john@example.com`: one mailbox per address, ever. */
    email: p.string().length(320).unique(),
    /** The prefix, sent to Mailin.ai as the mailbox's name (seed 001 step 6.1). */
    name: p.string(),
    firstName: p.string(),
    lastName: p.string(),
    /** AES-256-GCM ciphertext with its key id; shown to its customer on request, logged. */
    passwordEncrypted: p.text(),
    /** Set once Mailin.ai reports the mailbox made. */
    mailinMailboxId: p.integer().nullable(),
    mailinDomainId: p.integer().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type OrderEmail = InferEntity<typeof OrderEmail>;
