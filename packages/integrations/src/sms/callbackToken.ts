import { createHmac, timingSafeEqual } from 'node:crypto';
import { DeliveryReportRejected } from './smsSender';

/**
 * The token in a text's delivery callback URL: the base64url HMAC-SHA256 of the text's reference,
 * keyed with the callback secret. Only Handover can make it, and it names one text, so a leaked
 * URL can only make Handover read that one text's status again.
 */
export function callbackToken(secret: string, reference: string): string {
  return createHmac('sha256', secret).update(`sms-delivery-callback:${reference}`, 'utf8').digest('base64url');
}

/** The reference, when `token` is its token; DeliveryReportRejected otherwise. */
export function verifyCallbackToken(secret: string, query: Record<string, unknown>): string {
  const { reference, token } = query;
  if (typeof reference !== 'string' || !reference || typeof token !== 'string' || !token) {
    throw new DeliveryReportRejected('missing_token', 'the callback URL has no reference and token');
  }
  const expected = Buffer.from(callbackToken(secret, reference));
  const given = Buffer.from(token);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new DeliveryReportRejected('bad_token', 'the callback token does not match its reference');
  }
  return reference;
}
