import { createHmac, randomUUID } from 'node:crypto';
import { PermanentError, TransientError } from '@handover/core';
import { z } from 'zod';
import { JsonClient } from '../../http/jsonClient';
import { type EsimAccessConfig, esimAccessConfigSchema } from './env';

/** An eSIM profile as the customer needs it (seed 004: QR code / activation code) and as status sync reads it. */
export interface EsimProfile {
  orderNo: string;
  esimTranNo: string;
  iccid: string;
  /** The LPA activation code (`LPA:1$<SM-DP+>$<matching id>`), the QR code's content. */
  activationCode: string;
  smdpAddress: string;
  matchingId: string;
  qrCodeUrl: string;
  /** eSIM Access's esimStatus: GOT_RESOURCE, IN_USE, USED_UP, USED_EXPIRED, UNUSED_EXPIRED, CANCEL, SUSPENDED, REVOKED. */
  status: string;
  /** The SM-DP+ side: RELEASED, DOWNLOAD, INSTALLATION, ENABLED, DISABLED, DELETED. */
  smdpStatus: string;
  packageCode: string;
  totalVolumeBytes: number;
  usedBytes: number;
  expiresAt: string;
}

export interface EsimTopUpPackage {
  packageCode: string;
  name: string;
  /** In 1/10,000 of the currency, as eSIM Access prices. */
  price: number;
  currencyCode: string;
  volumeBytes: number;
  durationDays: number;
}

const ok = <S extends z.ZodType>(obj: S) => z.object({ success: z.union([z.literal(true), z.literal('true')]), obj });
const profileSchema = z.object({
  orderNo: z.string(),
  esimTranNo: z.string(),
  iccid: z.string(),
  ac: z.string(),
  smdpAddress: z.string().optional(),
  matchingId: z.string().optional(),
  qrCodeUrl: z.string(),
  esimStatus: z.string(),
  smdpStatus: z.string(),
  totalVolume: z.number(),
  orderUsage: z.number().default(0),
  expiredTime: z.string(),
  packageList: z.array(z.object({ packageCode: z.string() })).default([]),
});
const orderResponse = ok(z.object({ orderNo: z.string() }));
const queryResponse = ok(z.object({ esimList: z.array(profileSchema) }));
const packagesResponse = ok(
  z.object({
    packageList: z.array(
      z.object({
        packageCode: z.string(),
        name: z.string(),
        price: z.number(),
        currencyCode: z.string(),
        volume: z.number(),
        duration: z.number(),
      }),
    ),
  }),
);
const topUpResponse = ok(
  z.object({ iccid: z.string(), totalVolume: z.number(), totalDuration: z.number(), expiredTime: z.string() }),
);
const emptyResponse = ok(z.unknown());

/** eSIM Access's error codes (its API documentation's table) as transient or permanent, with stable codes. */
const TRANSIENT_CODES: Record<string, string> = {
  '000001': 'provider_unavailable',
  '900001': 'provider_unavailable',
  '200010': 'profile_not_ready',
};
const PERMANENT_CODES: Record<string, string> = {
  '000101': 'unauthorized',
  '000102': 'unauthorized',
  '101001': 'unauthorized',
  '101002': 'unauthorized',
  '101003': 'unauthorized',
  '200002': 'invalid_state',
  '200009': 'invalid_state',
  '200005': 'price_mismatch',
  '200006': 'price_mismatch',
  '200007': 'insufficient_balance',
  '200011': 'out_of_stock',
  '310201': 'package_not_found',
  '310241': 'package_not_found',
  '310243': 'package_not_found',
  '310272': 'not_found',
  '310403': 'not_found',
};
/** Allocation usually takes seconds (the documentation suggests polling or its webhook). */
const PROFILE_NOT_READY_RETRY_MS = 5_000;

export function classifyEsimAccessError(errorCode: string, errorMsg: string): TransientError | PermanentError {
  const message = `esimaccess refused (${errorCode}): ${errorMsg}`;
  const transient = TRANSIENT_CODES[errorCode];
  if (transient) {
    return new TransientError(message, transient, {
      retryAfterMs: transient === 'profile_not_ready' ? PROFILE_NOT_READY_RETRY_MS : undefined,
    });
  }
  return new PermanentError(message, PERMANENT_CODES[errorCode] ?? 'rejected');
}

/**
 * eSIM Access's partner API (seed 004 eSIM: activate, reissue, top-up, status sync). Requests are
 * signed (RT-AccessCode, RT-Timestamp, RT-RequestID, RT-Signature); `success: false` answers are
 * classified by errorCode. Orders and top-ups carry the caller's idempotency key as eSIM Access's
 * `transactionId`, which the provider keeps unique per account, so a retry returns the first
 * order instead of buying a second profile.
 */
export class EsimAccessClient {
  private readonly http: JsonClient;
  private readonly config: z.output<typeof esimAccessConfigSchema>;

  constructor(config: EsimAccessConfig, options: { fetch?: typeof fetch } = {}) {
    const parsed = esimAccessConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`eSIM Access client: ${z.prettifyError(parsed.error)}`);
    this.config = parsed.data;
    this.http = new JsonClient({
      provider: 'esimaccess',
      baseUrl: this.config.baseUrl,
      timeoutMs: this.config.timeoutMs,
      // Whoever holds the activation code (or its QR code) can install the profile.
      redactKeys: ['ac', 'matchingId', 'qrCodeUrl', 'shortUrl', 'pin', 'puk'],
      // eSIM Access answers a refusal with 200 and `success: false`.
      classifyAnswer: ({ status, body }) => {
        const answer = body as { success?: unknown; errorCode?: unknown; errorMsg?: unknown } | null;
        if (status >= 300 || !answer || answer.success === true || answer.success === 'true') return undefined;
        return classifyEsimAccessError(String(answer.errorCode ?? 'unknown'), String(answer.errorMsg ?? 'no message'));
      },
      fetch: options.fetch,
    });
  }

  /**
   * Orders one profile of `packageCode` and returns it with its activation code and QR code.
   * `idempotencyKey` (one per record and step) is the order's transactionId. While eSIM Access
   * is still allocating the profile this throws TransientError `profile_not_ready`; calling
   * again with the same key finds the same order.
   */
  async activate(order: { packageCode: string; idempotencyKey: string }): Promise<EsimProfile> {
    const { obj } = await this.post('esim/order', orderResponse, {
      transactionId: order.idempotencyKey,
      packageInfoList: [{ packageCode: order.packageCode, count: 1 }],
    });
    const { obj: found } = await this.post('esim/query', queryResponse, {
      orderNo: obj.orderNo,
      pager: { pageNum: 1, pageSize: 5 },
    });
    const profile = found.esimList[0];
    if (!profile) throw new TransientError(`esimaccess order ${obj.orderNo} has no profile yet`, 'profile_not_ready');
    return profileOf(profile);
  }

  /**
   * A new profile of the same package for the customer, and the old one revoked so its QR and
   * activation code stop working (seed 004 reissue). eSIM Access has no reissue call: this is
   * an order (keyed by `idempotencyKey`) and a revoke; the new profile is ordered first, so a
   * failure never leaves the customer with none, and a retry finds the same order and takes an
   * already revoked old profile as done.
   */
  async reissue(request: { iccid: string; idempotencyKey: string }): Promise<EsimProfile> {
    const old = await this.status(request.iccid);
    const fresh = await this.activate({ packageCode: old.packageCode, idempotencyKey: request.idempotencyKey });
    if (old.status !== 'REVOKED' && old.status !== 'CANCEL') {
      try {
        await this.post('esim/revoke', emptyResponse, { iccid: old.iccid });
      } catch (error) {
        const revoked = error instanceof PermanentError && error.code === 'invalid_state';
        if (!revoked || !['REVOKED', 'CANCEL'].includes((await this.status(old.iccid)).status)) throw error;
      }
    }
    return fresh;
  }

  /** The top-up packages that fit this profile. */
  async listTopUps(iccid: string): Promise<EsimTopUpPackage[]> {
    const { obj } = await this.post('package/list', packagesResponse, { type: 'TOPUP', iccid });
    return obj.packageList.map((p) => ({
      packageCode: p.packageCode,
      name: p.name,
      price: p.price,
      currencyCode: p.currencyCode,
      volumeBytes: p.volume,
      durationDays: p.duration,
    }));
  }

  /** Buys and applies a data add-on; `idempotencyKey` is its transactionId, so a retry applies it once. */
  async topUp(request: {
    iccid: string;
    packageCode: string;
    idempotencyKey: string;
  }): Promise<{ totalVolumeBytes: number; totalDurationDays: number; expiresAt: string }> {
    const { obj } = await this.post('esim/topup', topUpResponse, {
      iccid: request.iccid,
      packageCode: request.packageCode,
      transactionId: request.idempotencyKey,
    });
    return { totalVolumeBytes: obj.totalVolume, totalDurationDays: obj.totalDuration, expiresAt: obj.expiredTime };
  }

  /** The profile's state and usage, for status sync. */
  async status(iccid: string): Promise<EsimProfile> {
    const { obj } = await this.post('esim/query', queryResponse, { iccid, pager: { pageNum: 1, pageSize: 5 } });
    const profile = obj.esimList[0];
    if (!profile) throw new PermanentError(`esimaccess has no profile ${iccid}`, 'not_found');
    return profileOf(profile);
  }

  private post<S extends z.ZodType>(path: string, response: S, body: Record<string, unknown>): Promise<z.output<S>> {
    const timestamp = String(Date.now());
    const requestId = randomUUID().replace(/-/g, '');
    // The signature covers the body exactly as sent: JsonClient serialises it the same way.
    const signature = createHmac('sha256', this.config.secretKey)
      .update(`${timestamp}${requestId}${this.config.accessCode}${JSON.stringify(body)}`)
      .digest('hex');
    return this.http.request({
      method: 'POST',
      path: `api/v1/open/${path}`,
      body,
      headers: {
        'RT-AccessCode': this.config.accessCode,
        'RT-Timestamp': timestamp,
        'RT-RequestID': requestId,
        'RT-Signature': signature,
      },
      response,
    });
  }
}

function profileOf(p: z.output<typeof profileSchema>): EsimProfile {
  const [, smdp = '', matching = ''] = p.ac.split('$');
  return {
    orderNo: p.orderNo,
    esimTranNo: p.esimTranNo,
    iccid: p.iccid,
    activationCode: p.ac,
    smdpAddress: p.smdpAddress ?? smdp,
    matchingId: p.matchingId ?? matching,
    qrCodeUrl: p.qrCodeUrl,
    status: p.esimStatus,
    smdpStatus: p.smdpStatus,
    packageCode: p.packageList[0]?.packageCode ?? '',
    totalVolumeBytes: p.totalVolume,
    usedBytes: p.orderUsage,
    expiresAt: p.expiredTime,
  };
}
