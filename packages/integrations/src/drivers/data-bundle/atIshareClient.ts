import { PermanentError, TransientError } from '@handover/core';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { JsonClient, retryAfterMs } from '../../http/jsonClient';
import { type AtIshareConfig, atIshareConfigSchema } from './env';

/** Seed 002 phase 2: `FulfillmentRequest`. */
export interface FulfillmentRequest {
  /** The number the bundle goes to, local (`0271234567`) or international (`+233271234567`). */
  phoneNumber: string;
  sizeGb: number;
  /** Handover's order id: the reseller refuses a second delivery for it. */
  orderId: string;
}

export type BundleDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface BundleDelivery {
  /** The reseller's reference, the one the customer's SMS quotes (seed 002 phase 8). */
  reference: string;
  orderId: string;
  phoneNumber: string;
  sizeGb: number;
  status: BundleDeliveryStatus;
  deliveredAt: Date | null;
  failureReason: string | null;
}

/**
 * The reseller's float cannot pay for the bundle (seed 002 error 3). Retrying will not help until
 * someone tops the float up, so it is a PermanentError: code that does not know this class stops
 * rather than burning retries. The data-bundle driver recognises it (or its code,
 * `insufficient_balance`) and holds the record `awaiting_provider` with an ops alert instead of
 * failing it; the same idempotency key then delivers once the float is topped up.
 */
export class InsufficientBalanceError extends PermanentError {
  constructor(
    message: string,
    /** What the float held and what the bundle costs, in pesewas, when the reseller said. */
    readonly balanceMinor: number | undefined,
    readonly requiredMinor: number | undefined,
    options: { httpStatus?: number } = {},
  ) {
    super(message, 'insufficient_balance', options);
  }
}

/**
 * The reseller already delivered (or is delivering) a bundle for this order under another key
 * (DUPLICATE_ORDER): `reference` names that delivery, so the caller can take it as its own.
 */
export class DuplicateOrderError extends PermanentError {
  constructor(
    message: string,
    readonly reference: string | undefined,
    options: { httpStatus?: number } = {},
  ) {
    super(message, 'duplicate_order', options);
  }
}

const PROVIDER = 'at-ishare';

/** A delivery as the reseller shows it, in an order's answer or its lookup. */
const deliveryFields = z.object({
  reference: z.string().min(1),
  orderId: z.string(),
  phoneNumber: z.string(),
  sizeGb: z.number(),
  status: z.enum(['pending', 'delivered', 'failed']),
  deliveredAt: z.iso.datetime({ offset: true }).nullable().default(null),
  failureReason: z.string().nullable().default(null),
});

const toDelivery = (body: z.output<typeof deliveryFields>): BundleDelivery => ({
  reference: body.reference,
  orderId: body.orderId,
  phoneNumber: body.phoneNumber,
  sizeGb: body.sizeGb,
  status: body.status,
  deliveredAt: body.deliveredAt ? new Date(body.deliveredAt) : null,
  failureReason: body.failureReason,
});

const deliveryResponse = deliveryFields.extend({ success: z.literal(true) }).transform(toDelivery);

const ordersResponse = z.object({ success: z.literal(true), orders: z.array(deliveryFields.transform(toDelivery)) });

const balanceResponse = z.object({
  success: z.literal(true),
  balance: z.number(),
  currency: z.string().length(3),
});

const errorBody = z.object({
  errorCode: z.string(),
  message: z.string().optional(),
  balance: z.number().optional(),
  required: z.number().optional(),
  reference: z.string().optional(),
});

/**
 * The AT-iShare reseller's API (seed 002 phase 2): deliver a bundle, verify it by reference, read
 * the float. Failures come out classified: the reseller's INVALID_PHONE and INVALID_SIZE as
 * permanent `invalid_phone` / `invalid_size`, INSUFFICIENT_BALANCE as InsufficientBalanceError,
 * SERVICE_UNAVAILABLE, 5xx, 429 and timeouts as transient (JsonClient).
 */
export class AtIshareClient {
  private readonly http: JsonClient;

  constructor(config: AtIshareConfig, options: { fetch?: typeof fetch } = {}) {
    const parsed = atIshareConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`AT-iShare client: ${z.prettifyError(parsed.error)}`);
    const { baseUrl, apiKey, timeoutMs } = parsed.data;
    this.http = new JsonClient({
      provider: PROVIDER,
      baseUrl,
      timeoutMs,
      headers: () => ({ 'x-api-key': apiKey }),
      idempotencyHeader: 'Idempotency-Key',
      classifyAnswer: ({ status, headers, body }) => (status >= 400 ? classifyError(status, headers, body) : undefined),
      fetch: options.fetch,
    });
  }

  /**
   * POST /api/v1/orders: delivers `sizeGb` to the number. The same `idempotencyKey` (one per
   * record and step) makes a retry, after a timeout or a crash before Handover committed the
   * answer, return the first delivery instead of sending a second bundle.
   */
  async fulfillOrder(request: FulfillmentRequest, idempotencyKey: string): Promise<BundleDelivery> {
    return this.http.request({
      method: 'POST',
      path: 'api/v1/orders',
      body: { phoneNumber: localNumber(request.phoneNumber), sizeGb: request.sizeGb, orderId: request.orderId },
      idempotencyKey,
      response: deliveryResponse,
    });
  }

  /** GET /api/v1/orders/{reference}: where a delivery stands (`pending` until the network confirms). */
  async verifyFulfillment(reference: string): Promise<BundleDelivery> {
    return this.http.request({
      method: 'GET',
      path: `api/v1/orders/${encodeURIComponent(reference)}`,
      response: deliveryResponse,
    });
  }

  /**
   * GET /api/v1/orders?orderId=: what the reseller made for one of Handover's order ids (the
   * record id), newest first, without placing anything. How a caller whose answer was lost finds
   * out whether the bundle went out.
   */
  async deliveriesFor(orderId: string): Promise<BundleDelivery[]> {
    const body = await this.http.request({
      method: 'GET',
      path: 'api/v1/orders',
      query: { orderId },
      response: ordersResponse,
    });
    return body.orders;
  }

  /** GET /api/v1/balance: the reseller float, for the back office. */
  async balance(): Promise<{ amountMinor: number; currency: string }> {
    const body = await this.http.request({ method: 'GET', path: 'api/v1/balance', response: balanceResponse });
    return { amountMinor: Math.round(body.balance * 100), currency: body.currency };
  }
}

/** A seed 002 `size` (`"1GB"`, `"10 GB"`) as the whole gigabytes the reseller takes. */
export function parseBundleSize(size: string): number {
  const match = /^\s*(\d{1,4})\s*GB\s*$/i.exec(size);
  if (!match) throw new PermanentError(`"${size}" is not a bundle size such as 1GB or 10GB`, 'invalid_size');
  return Number(match[1]);
}

/**
 * Ghana numbers go in the local ten-digit form resellers take (`+233 27 123 4567` becomes
 * `0271234567`); anything else goes as given, for the reseller to refuse as INVALID_PHONE.
 */
function localNumber(phoneNumber: string): string {
  const parsed = parsePhoneNumberFromString(phoneNumber, 'GH');
  return parsed?.country === 'GH' && parsed.isValid() ? `0${parsed.nationalNumber}` : phoneNumber.trim();
}

function classifyError(status: number, headers: Headers, body: unknown): TransientError | PermanentError | undefined {
  const parsed = errorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { errorCode, message: detail, balance, required, reference } = parsed.data;
  const message = `${PROVIDER} answered ${status}: ${detail ?? errorCode}`;
  const httpStatus = status;
  switch (errorCode) {
    case 'INVALID_PHONE':
      return new PermanentError(message, 'invalid_phone', { httpStatus });
    case 'INVALID_SIZE':
      return new PermanentError(message, 'invalid_size', { httpStatus });
    case 'INSUFFICIENT_BALANCE':
      return new InsufficientBalanceError(message, pesewas(balance), pesewas(required), { httpStatus });
    case 'DUPLICATE_ORDER':
      return new DuplicateOrderError(message, reference, { httpStatus });
    case 'IDEMPOTENCY_KEY_REUSED':
      return new PermanentError(message, 'idempotency_key_reused', { httpStatus });
    case 'NOT_FOUND':
      return new PermanentError(message, 'not_found', { httpStatus });
    case 'SERVICE_UNAVAILABLE':
      return new TransientError(message, 'provider_unavailable', {
        httpStatus,
        retryAfterMs: retryAfterMs(headers.get('retry-after')),
      });
    default:
      return undefined;
  }
}

function pesewas(cedis: number | undefined): number | undefined {
  return cedis === undefined ? undefined : Math.round(cedis * 100);
}
