import { createHmac, randomUUID } from 'node:crypto';
import { PermanentError, reportProviderCall, TransientError } from '@handover/core';
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
const balanceResponse = ok(z.object({ balance: z.number() }));

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
  private readonly fetchImpl: typeof fetch | undefined;

  constructor(config: EsimAccessConfig, options: { fetch?: typeof fetch } = {}) {
    this.fetchImpl = options.fetch;
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
    const { orderNo } = await this.order(order);
    return this.profileOfOrder(orderNo);
  }

  /** Orders one profile of `packageCode`; `idempotencyKey` is the order's transactionId, so a retry finds the same order. */
  async order(order: { packageCode: string; idempotencyKey: string }): Promise<{ orderNo: string }> {
    const { obj } = await this.post('esim/order', orderResponse, {
      transactionId: order.idempotencyKey,
      packageInfoList: [{ packageCode: order.packageCode, count: 1 }],
    });
    return { orderNo: obj.orderNo };
  }

  /** The profile of an order; TransientError `profile_not_ready` while eSIM Access is still allocating it. */
  async profileOfOrder(orderNo: string): Promise<EsimProfile> {
    const { obj } = await this.post('esim/query', queryResponse, { orderNo, pager: { pageNum: 1, pageSize: 5 } });
    const profile = obj.esimList[0];
    if (!profile) {
      throw new TransientError(`esimaccess order ${orderNo} has no profile yet`, 'profile_not_ready', {
        retryAfterMs: PROFILE_NOT_READY_RETRY_MS,
      });
    }
    return profileOf(profile);
  }

  /** Disables a profile for good (its QR and activation code stop working); one already revoked counts as done. */
  async revoke(iccid: string): Promise<void> {
    try {
      await this.post('esim/revoke', emptyResponse, { iccid });
    } catch (error) {
      const revoked = error instanceof PermanentError && error.code === 'invalid_state';
      if (!revoked || !['REVOKED', 'CANCEL'].includes((await this.status(iccid)).status)) throw error;
    }
  }

  /**
   * The profile's QR code image (PNG) from the URL eSIM Access gave with it. The URL is as good as
   * the code itself, so the log shows only its host.
   */
  async qrCode(url: string): Promise<Buffer> {
    const started = performance.now();
    // The image's path names the profile: only the host is logged.
    const shown = `${new URL(url).origin}/qr-code-image`;
    const report = (httpStatus: number | null, error: string | null) =>
      reportProviderCall({
        provider: 'esimaccess',
        method: 'GET',
        url: shown,
        request: null,
        response: httpStatus === 200 ? '[image/png]' : null,
        httpStatus,
        durationMs: Math.round(performance.now() - started),
        error,
      });
    let res: Response;
    try {
      res = await (this.fetchImpl ?? fetch)(url, { signal: AbortSignal.timeout(this.config.timeoutMs) });
    } catch (cause) {
      const error = new TransientError(
        `esimaccess's QR code could not be fetched: ${(cause as Error).message}`,
        'network_error',
        {
          cause,
        },
      );
      report(null, error.message);
      throw error;
    }
    if (!res.ok || !(res.headers.get('content-type') ?? '').startsWith('image/')) {
      const message = `esimaccess's QR code answered ${res.status}`;
      report(res.status, message);
      throw res.status >= 500
        ? new TransientError(message, 'provider_unavailable')
        : new PermanentError(message, 'qr_code_unavailable');
    }
    const image = Buffer.from(await res.arrayBuffer());
    report(res.status, null);
    return image;
  }

  /** The account's balance, in 1/10,000 USD (eSIM Access prices this way). */
  async balance(): Promise<number> {
    const { obj } = await this.post('balance/query', balanceResponse, {});
    return obj.balance;
  }

  /** A package by code, or null when eSIM Access no longer sells it. */
  async findPackage(packageCode: string): Promise<EsimTopUpPackage | null> {
    const { obj } = await this.post('package/list', packagesResponse, { packageCode });
    const found = obj.packageList.find((p) => p.packageCode === packageCode);
    return found
      ? {
          packageCode: found.packageCode,
          name: found.name,
          price: found.price,
          currencyCode: found.currencyCode,
          volumeBytes: found.volume,
          durationDays: found.duration,
        }
      : null;
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
    if (old.status !== 'REVOKED' && old.status !== 'CANCEL') await this.revoke(old.iccid);
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
