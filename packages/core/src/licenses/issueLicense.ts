import { randomUUID } from 'node:crypto';
import type { LicenseStatus } from '@handover/contracts';
import { FulfillmentRecord, License, type Order, type Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError } from '../errors';
import { readSigningKey } from '../security/keyRing';
import type { SecretBox } from '../security/secrets';
import { hashLicenseKey, signLicenseKey } from './licenseKeys';

export interface LicenseTerms {
  signingKeyRef: string;
  productCode: string;
  licensee: string;
  type: 'perpetual' | 'term';
  termDays: number | null;
  activationLimit: number;
  features: string[];
}

export interface IssuedLicense {
  licenseId: string;
  keyHint: string;
  expiresAt: Date | null;
}

/** What a customer sees of a key before asking for it whole: its last eight characters. */
export const licenseKeyHint = (key: string): string => `…${key.slice(-8)}`;

/**
 * Issues the record's licence (seed 003 "license generation"): a key signed with the product's
 * Ed25519 key from the key ring, sealed at rest. A record has one licence: issuing again (a
 * retried step) answers the one already made.
 */
export async function issueLicense(
  em: EntityManager,
  box: SecretBox,
  { recordId, terms, now }: { recordId: string; terms: LicenseTerms; now: Date },
): Promise<IssuedLicense> {
  const existing = await em.findOne(License, { record: recordId });
  if (existing) {
    return { licenseId: existing.id, keyHint: existing.keyHint, expiresAt: existing.expiresAt ?? null };
  }
  const record = await em.findOneOrFail(FulfillmentRecord, { id: recordId }, { populate: ['order', 'product'] });
  const order = record.order as Order;
  const signing = await readSigningKey(em, box, terms.signingKeyRef);
  const expiresAt =
    terms.type === 'term' && terms.termDays ? new Date(now.getTime() + terms.termDays * 86_400_000) : null;
  const license = em.create(License, {
    id: randomUUID(),
    record,
    order,
    user: order.user,
    product: record.product as Product,
    signingKeyRef: terms.signingKeyRef,
    productCode: terms.productCode,
    licensee: terms.licensee,
    keyHash: '',
    keyEncrypted: '',
    keyHint: '',
    activationLimit: terms.activationLimit,
    issuedAt: now,
    expiresAt,
  });
  const key = signLicenseKey(
    {
      v: 1,
      license_id: license.id,
      key_id: terms.signingKeyRef,
      product: terms.productCode,
      licensee: terms.licensee,
      type: terms.type,
      issued_at: now.toISOString(),
      expires_at: expiresAt?.toISOString() ?? null,
      activation_limit: terms.activationLimit,
      features: terms.features,
    },
    signing.privateKey,
  );
  license.keyHash = hashLicenseKey(key);
  license.keyEncrypted = box.encrypt(key);
  license.keyHint = licenseKeyHint(key);
  await em.flush();
  return { licenseId: license.id, keyHint: licenseKeyHint(key), expiresAt };
}

/**
 * Moves the record's licence to `status` (suspended with its subscription, active again once
 * paid, revoked by a refund). A revoked licence stays revoked.
 */
export async function setLicenseStatus(
  em: EntityManager,
  recordId: string,
  status: LicenseStatus,
  { reason, now }: { reason: string; now: Date },
): Promise<void> {
  const license = await em.findOne(License, { record: recordId });
  if (!license) return;
  if (license.status === 'revoked' && status !== 'revoked') {
    throw new ConflictError('This licence was revoked and cannot be used again');
  }
  Object.assign(license, {
    status,
    statusReason: status === 'active' ? null : reason,
    ...(status === 'revoked' && !license.revokedAt ? { revokedAt: now } : {}),
  });
  await em.flush();
}

/** The licence of a record, for the driver's status check. */
export async function findLicenseOfRecord(em: EntityManager, recordId: string): Promise<License | null> {
  return em.findOne(License, { record: recordId });
}
