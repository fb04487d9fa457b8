import { ESIM_DRIVER, ESIM_REISSUE_ACTION } from '@handover/contracts/drivers/esim';
import { ESIM_TOP_UP_DRIVER, esimTopUpConfigSchema } from '@handover/contracts/drivers/esim-top-up';
import { EsimProfile, FulfillmentRecord, Order, Product, RecordAction } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, recordActivity } from '../activity/activity';
import { NotFoundError } from '../errors';
import { type RequestedAction, requestRecordAction } from '../fulfillment/recordActions';
import type { DriverRegistry } from '../fulfillment/registry';
import type { SecretBox } from '../security/secrets';

/** A data add-on that fits an eSIM's plan (seed 004 top-up), as the portal offers it. */
export interface EsimTopUpOffer {
  productId: string;
  slug: string;
  name: string;
  priceMinor: number;
  currency: string;
}

/** One eSIM of an order as its customer follows it: never its activation code (that is revealed on request). */
export interface CustomerEsim {
  recordId: string;
  iccid: string;
  packageCode: string;
  status: string;
  smdpStatus: string;
  totalVolumeBytes: number;
  usedBytes: number;
  expiresAt: Date | null;
  /** How many profiles this eSIM had before this one (reissues). */
  reissues: number;
  /** A reissue asked for and not done yet. */
  reissuing: boolean;
  /** The last reissue's failure, when it failed. */
  reissueError: string | null;
  topUps: EsimTopUpOffer[];
}

/** The customer's eSIMs on one order. */
export async function getCustomerEsims(em: EntityManager, userId: string, orderId: string): Promise<CustomerEsim[]> {
  const order = await em.findOne(Order, { id: orderId, user: userId }, { fields: ['id'] });
  if (!order) throw new NotFoundError('No order with this id in your account.');
  const [profiles, actions, offers] = await Promise.all([
    em.find(EsimProfile, { order: orderId }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    em.find(
      RecordAction,
      { record: { order: orderId }, action: ESIM_REISSUE_ACTION },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    ),
    topUpOffers(em),
  ]);
  return profiles
    .filter((profile) => !profile.replacedAt)
    .map((profile) => {
      const latest = actions.find((action) => action.record.id === profile.record.id);
      return {
        recordId: profile.record.id,
        iccid: profile.iccid,
        packageCode: profile.packageCode,
        status: profile.status,
        smdpStatus: profile.smdpStatus,
        totalVolumeBytes: profile.totalVolumeBytes,
        usedBytes: profile.usedBytes,
        expiresAt: profile.expiresAt ?? null,
        reissues: profiles.filter((other) => other.record.id === profile.record.id && other.replacedAt).length,
        reissuing: latest?.status === 'pending',
        reissueError: latest?.status === 'failed' ? (latest.error ?? 'it failed') : null,
        topUps: offers
          .filter((offer) => offer.forPackages.includes(profile.packageCode))
          .map(({ forPackages: _, ...offer }) => offer),
      };
    });
}

/** The customer's eSIMs in use, for the top-up form's choice. */
export async function listCustomerEsims(em: EntityManager, userId: string) {
  const profiles = await em.find(
    EsimProfile,
    { user: userId, replacedAt: null },
    { orderBy: { createdAt: 'asc', id: 'asc' }, populate: ['order', 'record'] },
  );
  return profiles.map((profile) => ({
    iccid: profile.iccid,
    packageCode: profile.packageCode,
    orderCode: profile.order.orderCode,
    label: String((profile.record.payloadSnapshot as { label?: string }).label ?? ''),
  }));
}

/**
 * The profile's activation code and QR code, on request (seed 004: "revealed on request"): the
 * customer's own only, and every reveal is in the activity log.
 */
export async function revealEsim(
  em: EntityManager,
  secrets: SecretBox,
  request: { recordId: string; ownerId: string; actor: Actor },
) {
  const profile = await em.findOne(
    EsimProfile,
    { record: request.recordId, user: request.ownerId, replacedAt: null },
    { orderBy: { createdAt: 'desc', id: 'desc' } },
  );
  if (!profile) throw new NotFoundError('No eSIM with this id in your account.');
  const activationCode = secrets.decrypt(profile.activationCodeEncrypted);
  const [, smdpAddress = '', matchingId = ''] = activationCode.split('$');
  recordActivity(em, {
    action: 'esim.revealed',
    subjectType: 'fulfillment_record',
    subjectId: request.recordId,
    actor: request.actor,
    properties: { iccid: profile.iccid },
  });
  await em.flush();
  return {
    iccid: profile.iccid,
    activationCode,
    smdpAddress,
    matchingId,
    /** The provider's QR code image, as a data URL the page shows as it is. */
    qrCode: profile.qrCodeEncrypted ? `data:image/png;base64,${secrets.decrypt(profile.qrCodeEncrypted)}` : null,
  };
}

/** Seed 004 reissue, as the customer asks for it: the driver makes a new profile and disables the old one. */
export function requestEsimReissue(
  em: EntityManager,
  registry: DriverRegistry,
  request: { recordId: string; userId: string; now: Date },
): Promise<RequestedAction> {
  return requestRecordAction(em, registry, {
    recordId: request.recordId,
    action: ESIM_REISSUE_ACTION,
    actor: { type: 'user', id: request.userId },
    ownerId: request.userId,
    now: request.now,
  });
}

async function topUpOffers(em: EntityManager): Promise<(EsimTopUpOffer & { forPackages: string[] })[]> {
  const products = await em.find(
    Product,
    { fulfillmentDriver: ESIM_TOP_UP_DRIVER, isActive: true },
    { orderBy: { priceMinor: 'asc', name: 'asc' } },
  );
  return products.flatMap((product) => {
    const config = esimTopUpConfigSchema.safeParse(product.fulfillmentConfig);
    if (!config.success) return [];
    return [
      {
        productId: product.id,
        slug: product.slug,
        name: product.name,
        priceMinor: product.priceMinor,
        currency: product.currency,
        forPackages: config.data.forPackages,
      },
    ];
  });
}

/** Records of the eSIM driver, for the back office's view of an order's profiles. */
export async function getEsimProfilesForStaff(em: EntityManager, recordId: string) {
  const record = await em.findOne(FulfillmentRecord, { id: recordId, driver: ESIM_DRIVER }, { fields: ['id'] });
  if (!record) throw new NotFoundError('No eSIM delivery with this id.');
  const profiles = await em.find(EsimProfile, { record: recordId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return profiles.map((profile) => ({
    id: profile.id,
    iccid: profile.iccid,
    esimTranNo: profile.esimTranNo,
    providerOrderNo: profile.providerOrderNo,
    packageCode: profile.packageCode,
    status: profile.status,
    smdpStatus: profile.smdpStatus,
    totalVolumeBytes: profile.totalVolumeBytes,
    usedBytes: profile.usedBytes,
    expiresAt: profile.expiresAt ?? null,
    replacedAt: profile.replacedAt ?? null,
    lastSyncedAt: profile.lastSyncedAt ?? null,
    createdAt: profile.createdAt,
  }));
}
