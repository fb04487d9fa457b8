import {
  DEDICATED_INSTANCE_STATUSES,
  DOWNLOAD_ENTITLEMENT_STATUSES,
  DOWNLOAD_OUTCOMES,
  LICENSE_ACTIVATION_STATUSES,
  LICENSE_STATUSES,
  TENANT_STATUSES,
} from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Product } from './catalog';
import { createdAt, oneOf, p, updatedAt, uuidPk } from './common';
import { FulfillmentRecord } from './fulfillment';
import { Order } from './orders';
import { User } from './users';

/**
 * Seed 003 §5.3 external_tenant_links: the accounts a SaaS provider opened for one record (its
 * tenant, subscription and owner user); the external reference, customer and workspace URL are
 * the record's own columns.
 */
export const ExternalTenantLink = defineEntity({
  name: 'ExternalTenantLink',
  tableName: 'external_tenant_links',
  properties: {
    id: uuidPk(),
    fulfillmentRecord: () => p.manyToOne(FulfillmentRecord).deleteRule('cascade').unique(),
    user: () => p.manyToOne(User).index(),
    provider: p.string().length(120),
    externalTenantId: p.string().length(200).index(),
    externalSubscriptionId: p.string().length(200).nullable(),
    externalUserId: p.string().length(200).nullable(),
    plan: p.string().length(60).nullable(),
    /** The tenant's status as the provider last answered it. */
    status: oneOf(TENANT_STATUSES),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type ExternalTenantLink = InferEntity<typeof ExternalTenantLink>;

/**
 * A dedicated instance (seed 003 `saas_singletenant`) made for one record: where it runs, and its
 * first admin, whose password is sealed (secrets:rotate covers it) and shown on request.
 */
export const DedicatedInstance = defineEntity({
  name: 'DedicatedInstance',
  tableName: 'dedicated_instances',
  properties: {
    id: uuidPk(),
    record: () => p.manyToOne(FulfillmentRecord).deleteRule('cascade').unique(),
    user: () => p.manyToOne(User).index(),
    /** The provisioning API's id of the instance. */
    providerInstanceId: p.string().length(120).unique(),
    template: p.string().length(64),
    plan: p.string().length(64),
    region: p.string().length(64),
    hostname: p.string().length(253),
    /** For a custom domain: what the customer points its CNAME at. */
    cnameTarget: p.string().length(253).nullable(),
    url: p.string().length(2048).nullable(),
    adminUsername: p.string().length(320).nullable(),
    adminPasswordEncrypted: p.text().nullable(),
    status: oneOf(DEDICATED_INSTANCE_STATUSES).default('provisioning'),
    readyAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type DedicatedInstance = InferEntity<typeof DedicatedInstance>;

/**
 * A licence (seed 003 `self_hosted_license`): an Ed25519-signed key the vendor's software checks
 * offline, and activations it reports through Handover's activation API. The key is sealed at
 * rest (secrets:rotate covers it); the activation API finds it by its SHA-256.
 */
export const License = defineEntity({
  name: 'License',
  tableName: 'licenses',
  properties: {
    id: uuidPk(),
    record: () => p.manyToOne(FulfillmentRecord).deleteRule('cascade').unique(),
    order: () => p.manyToOne(Order).deleteRule('cascade').index(),
    user: () => p.manyToOne(User).index(),
    product: () => p.manyToOne(Product),
    /** The key-ring reference of the key that signed it; written in the key as `kid`. */
    signingKeyRef: p.string().length(120),
    productCode: p.string().length(32),
    licensee: p.string().length(200).default(''),
    keyHash: p.string().length(64).unique(),
    keyEncrypted: p.text(),
    /** The key's last characters (part of its signature): tells keys apart, opens nothing. */
    keyHint: p.string().length(16),
    activationLimit: p.integer(),
    status: oneOf(LICENSE_STATUSES).default('active'),
    statusReason: p.string().length(300).nullable(),
    issuedAt: p.datetime(),
    /** A term licence's end; null for a perpetual one. */
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type License = InferEntity<typeof License>;

/** A machine the vendor's software activated a licence on (one row per licence and instance id). */
export const LicenseActivation = defineEntity({
  name: 'LicenseActivation',
  tableName: 'license_activations',
  uniques: [{ properties: ['license', 'instanceId'] }],
  properties: {
    id: uuidPk(),
    license: () => p.manyToOne(License).deleteRule('cascade').index(),
    /** What the vendor's software calls the machine: a fingerprint it makes. */
    instanceId: p.string().length(200),
    /** What the customer reads: "Ada's laptop". */
    label: p.string().length(200).default(''),
    status: oneOf(LICENSE_ACTIVATION_STATUSES).default('active'),
    activatedAt: p.datetime(),
    deactivatedAt: p.datetime().nullable(),
    lastSeenAt: p.datetime(),
    lastIp: p.string().length(64).nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type LicenseActivation = InferEntity<typeof LicenseActivation>;

/** A file the customer may download, as it was when granted. */
export interface EntitledFile {
  key: string;
  name: string;
  description: string | null;
  size: number;
}

/**
 * Seed 003's download entitlement: the files of a product one record granted, downloadable
 * through expiring signed links until it ends, is suspended or is revoked.
 */
export const DownloadEntitlement = defineEntity({
  name: 'DownloadEntitlement',
  tableName: 'download_entitlements',
  properties: {
    id: uuidPk(),
    record: () => p.manyToOne(FulfillmentRecord).deleteRule('cascade').unique(),
    order: () => p.manyToOne(Order).deleteRule('cascade').index(),
    user: () => p.manyToOne(User).index(),
    product: () => p.manyToOne(Product),
    files: p.json<EntitledFile[]>(),
    status: oneOf(DOWNLOAD_ENTITLEMENT_STATUSES).default('active'),
    statusReason: p.string().length(300).nullable(),
    linkTtlMinutes: p.integer(),
    /** Downloads of each file allowed; null: no limit. */
    maxDownloads: p.integer().nullable(),
    expiresAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type DownloadEntitlement = InferEntity<typeof DownloadEntitlement>;

/** Every download asked for through a link: served, or refused with the reason. */
export const DownloadLog = defineEntity({
  name: 'DownloadLog',
  tableName: 'download_logs',
  indexes: [{ properties: ['entitlement', 'fileKey', 'outcome'] }, { properties: ['createdAt'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    /** Null when the link named no entitlement we know (a forged one). */
    entitlement: () => p.manyToOne(DownloadEntitlement).nullable().deleteRule('cascade'),
    fileKey: p.string().length(250).nullable(),
    outcome: oneOf(DOWNLOAD_OUTCOMES),
    /** Why it was refused (`link_expired`, `signature_invalid`, `revoked`...). */
    reason: p.string().length(64).nullable(),
    bytes: p.bigint('number').nullable(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(500).nullable(),
    createdAt: createdAt(),
  },
});
export type DownloadLog = InferEntity<typeof DownloadLog>;
