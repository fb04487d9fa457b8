import { EsimProfile, FulfillmentRecord, Order, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError, PermanentError } from '../errors';
import type { SecretBox } from '../security/secrets';

/** An eSIM profile as the driver reads it from the provider, with its QR code image when fetched. */
export interface EsimProfileData {
  iccid: string;
  esimTranNo: string;
  providerOrderNo: string;
  packageCode: string;
  status: string;
  smdpStatus: string;
  /** The LPA code (`LPA:1$<SM-DP+>$<matching id>`): encrypted before it is stored. */
  activationCode: string;
  totalVolumeBytes: number;
  usedBytes: number;
  expiresAt: Date | null;
  /** The provider's QR code image (PNG): encrypted before it is stored. */
  qrPng: Buffer | null;
}

/** Who an eSIM belongs to: its record, order and customer. */
export interface EsimOwner {
  recordId: string;
  orderId: string;
  userId: string;
}

/**
 * Keeps a profile the driver got from the provider (seed 004 activate and reissue), its codes
 * encrypted. Saving the same ICCID again (a step retried after a crash) updates it; with
 * `replaces`, the record's previous profile is marked replaced by it in the same transaction.
 */
export async function saveEsimProfile(
  em: EntityManager,
  secrets: SecretBox,
  owner: EsimOwner,
  profile: EsimProfileData,
  { replaces }: { replaces?: string } = {},
): Promise<EsimProfile> {
  return em.transactional(async (tem) => {
    const existing = await tem.findOne(EsimProfile, { iccid: profile.iccid }, { populate: ['record'] });
    if (existing && existing.record.id !== owner.recordId) {
      throw new PermanentError(`eSIM ${profile.iccid} belongs to another delivery`, 'esim_taken');
    }
    const fields = {
      esimTranNo: profile.esimTranNo,
      providerOrderNo: profile.providerOrderNo,
      packageCode: profile.packageCode,
      status: profile.status,
      smdpStatus: profile.smdpStatus,
      activationCodeEncrypted: secrets.encrypt(profile.activationCode),
      qrCodeEncrypted: profile.qrPng ? secrets.encrypt(profile.qrPng.toString('base64')) : null,
      totalVolumeBytes: profile.totalVolumeBytes,
      usedBytes: profile.usedBytes,
      expiresAt: profile.expiresAt,
    };
    const saved =
      existing ??
      tem.create(EsimProfile, {
        record: tem.getReference(FulfillmentRecord, owner.recordId),
        order: tem.getReference(Order, owner.orderId),
        user: tem.getReference(User, owner.userId),
        iccid: profile.iccid,
        ...fields,
      });
    if (existing) Object.assign(existing, fields);
    if (replaces && replaces !== profile.iccid) {
      const old = await tem.findOne(EsimProfile, { iccid: replaces, record: owner.recordId });
      if (old && !old.replacedAt) {
        old.replacedAt = new Date();
        old.replacedById = saved.id;
        old.status = 'REVOKED';
      }
    }
    await tem.flush();
    return saved;
  });
}

/** The record's profile in use: the latest not replaced by a reissue. */
export async function currentEsimProfile(em: EntityManager, recordId: string): Promise<EsimProfile> {
  const profile = await em.findOne(
    EsimProfile,
    { record: recordId, replacedAt: null },
    { orderBy: { createdAt: 'desc', id: 'desc' } },
  );
  if (!profile) throw new NotFoundError('This delivery has no eSIM profile yet.');
  return profile;
}

/** What status sync and a top-up read back from the provider. */
export async function updateEsimUsage(
  em: EntityManager,
  iccid: string,
  usage: Partial<Pick<EsimProfile, 'status' | 'smdpStatus' | 'totalVolumeBytes' | 'usedBytes' | 'expiresAt'>>,
  now: Date,
): Promise<void> {
  await em.nativeUpdate(EsimProfile, { iccid }, { ...usage, lastSyncedAt: now });
}

/** One of the customer's eSIMs in use, by ICCID (a top-up checks the eSIM is theirs). */
export async function findCustomerEsim(em: EntityManager, userId: string, iccid: string): Promise<EsimProfile | null> {
  return em.findOne(EsimProfile, { iccid, user: userId, replacedAt: null });
}

/** Whether an eSIM with this ICCID is in use (not replaced): an order line for it can be taken. */
export async function isEsimInUse(em: EntityManager, iccid: string): Promise<boolean> {
  return (await em.count(EsimProfile, { iccid, replacedAt: null })) > 0;
}
