import { createHmac, timingSafeEqual } from 'node:crypto';

/** docs/saas-providers.md: the headers Handover signs every call with. */
export const TIMESTAMP_HEADER = 'x-handover-timestamp';
export const SIGNATURE_HEADER = 'x-handover-signature';

/** A timestamp further than this from the provider's clock, either way, is refused. */
export const TOLERANCE_SECONDS = 300;

export type SignatureRefusalCode =
  | 'signature_missing'
  | 'timestamp_out_of_window'
  | 'signature_invalid'
  | 'signature_replayed';

export interface SignatureRefusal {
  error: SignatureRefusalCode;
  message: string;
}

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  /** The raw body of a POST; for a GET, which has none, the path as sent with its query string. */
  signedContent: string;
}

/**
 * Checks `X-Handover-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<content>">` the way the
 * contract tells providers to: header present, timestamp within the window, signature matching
 * (any of several `v1=` values, as during a key rotation), and a (timestamp, signature) pair
 * accepted only once.
 */
export class SignatureVerifier {
  /** Pairs accepted, `<timestamp>.<signature>` -> timestamp; forgotten once out of the window. */
  private readonly accepted = new Map<string, number>();

  verify(request: SignedRequest, secret: string, now: Date): SignatureRefusal | null {
    const { timestamp, signature } = request;
    if (!timestamp || !signature) {
      return { error: 'signature_missing', message: 'X-Handover-Timestamp and X-Handover-Signature are required' };
    }
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) {
      return {
        error: 'timestamp_out_of_window',
        message: `X-Handover-Timestamp must be Unix seconds within ${TOLERANCE_SECONDS} s of the provider's clock`,
      };
    }
    const expected = createHmac('sha256', secret).update(`${timestamp}.${request.signedContent}`).digest();
    const given = signature
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.startsWith('v1='))
      .map((part) => part.slice(3));
    const match = given.find((hex) => {
      const bytes = Buffer.from(hex, 'hex');
      return bytes.length === expected.length && timingSafeEqual(bytes, expected);
    });
    if (!match) return { error: 'signature_invalid', message: 'X-Handover-Signature does not match the request' };

    this.forgetBefore(nowSeconds - TOLERANCE_SECONDS);
    const pair = `${timestamp}.${match.toLowerCase()}`;
    if (this.accepted.has(pair)) {
      return { error: 'signature_replayed', message: 'This timestamp and signature were already used' };
    }
    this.accepted.set(pair, Number(timestamp));
    return null;
  }

  reset(): void {
    this.accepted.clear();
  }

  /** A pair older than the window is refused by the timestamp check anyway. */
  private forgetBefore(oldestSeconds: number): void {
    for (const [pair, seconds] of this.accepted) if (seconds < oldestSeconds) this.accepted.delete(pair);
  }
}
