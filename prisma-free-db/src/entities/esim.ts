import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, p, updatedAt, uuidPk } from './common';
import { FulfillmentRecord } from './fulfillment';
import { Order } from './orders';
import { User } from './users';

/**
 * Seed 004's eSIM profiles: one per eSIM delivered, and one more each time it is reissued (the
 * old one revoked at the provider and marked replaced). Whoever holds a profile's activation
 * code or QR code can install it, so both are encrypted (secrets:rotate covers them).
 */
export const EsimProfile = defineEntity({
  name: 'EsimProfile',
  tableName: 'esim_profiles',
  indexes: [{ properties: ['record', 'createdAt'] }],
  properties: {
    id: uuidPk(),
    record: () => p.manyToOne(FulfillmentRecord).deleteRule('cascade'),
    order: () => p.manyToOne(Order).deleteRule('cascade').index(),
    /** The customer it belongs to: top-ups and reveals check it. */
    user: () => p.manyToOne(User).index(),
    iccid: p.string().length(32).unique(),
    /** eSIM Access's esimTranNo and orderNo. */
    esimTranNo: p.string().length(64),
    providerOrderNo: p.string().length(64),
    packageCode: p.string().length(64),
    /** eSIM Access's esimStatus (GOT_RESOURCE, IN_USE, ..., REVOKED) and smdpStatus, as last read. */
    status: p.string().length(32),
    smdpStatus: p.string().length(32),
    /** The LPA activation code, the QR code's content (AES-256-GCM ciphertext with its key id). */
    activationCodeEncrypted: p.text(),
    /** The provider's QR code image as base64 PNG, encrypted likewise; null when it could not be fetched. */
    qrCodeEncrypted: p.text().nullable(),
    totalVolumeBytes: p.bigint('number'),
    usedBytes: p.bigint('number').default(0),
    expiresAt: p.datetime().nullable(),
    /** Set once a reissue replaced it; it is then revoked at the provider. */
    replacedAt: p.datetime().nullable(),
    replacedById: p.uuid().nullable(),
    lastSyncedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type EsimProfile = InferEntity<typeof EsimProfile>;
