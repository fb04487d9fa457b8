import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed operator calls (seed 004: `POST /provision/orders/:id` with X-Timestamp, X-Nonce,
 * Idempotency-Key). The signature is HMAC-SHA256, hex, over these five lines:
 *
 *   METHOD            upper case, e.g. POST
 *   PATH              as sent, with its query string, e.g. /provision/orders/4f0c...
 *   TIMESTAMP         X-Timestamp: Unix time in seconds
 *   NONCE             X-Nonce
 *   SHA256(BODY)      hex of the raw body's SHA-256 (of zero bytes when there is no body)
 *
 * joined by "\n", sent as `X-Signature: sha256=<hex>`.
 */
export interface SignedRequestParts {
  method: string;
  path: string;
  timestamp: string;
  nonce: string;
  body: Buffer | string;
}

export const SIGNATURE_PREFIX = 'sha256=';

/** A timestamp further than this from the server's clock, either way, is refused. */
export const SIGNATURE_MAX_SKEW_MS = 5 * 60_000;

export function canonicalRequest(parts: SignedRequestParts): string {
  const bodyHash = createHash('sha256').update(parts.body).digest('hex');
  return [parts.method.toUpperCase(), parts.path, parts.timestamp, parts.nonce, bodyHash].join('\n');
}

/** The `X-Signature` value for a request, as a caller computes it. */
export function signRequest(secret: string, parts: SignedRequestParts): string {
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(canonicalRequest(parts)).digest('hex');
}

/** True when `signature` was made with any of `secrets` (two during a rotation). Constant-time per secret. */
export function verifyRequestSignature(
  secrets: readonly string[],
  parts: SignedRequestParts,
  signature: string,
): boolean {
  const given = Buffer.from(signature);
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signRequest(secret, parts));
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched;
}

/** Whether `timestamp` (Unix seconds) is within the allowed skew of `now`. */
export function isTimestampFresh(timestamp: string, now: Date, maxSkewMs = SIGNATURE_MAX_SKEW_MS): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(now.getTime() - Number(timestamp) * 1000) <= maxSkewMs;
}
