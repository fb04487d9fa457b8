import { createHmac, timingSafeEqual } from 'node:crypto';
import { DeliveryReportRejected } from './smsSender';

/**
 * The signature on delivery reports, in Handover's own scheme since Arkesel signs nothing (the
 * sandbox's Arkesel emulator signs this way): `X-Sms-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<raw body>">`, keyed with the shared callback secret.
 */
export const REPORT_SIGNATURE_HEADER = 'x-sms-signature';

/** Throws DeliveryReportRejected unless `header` signs `rawBody` with `secret`, at a time within the tolerance. */
export function verifyReportSignature(
  secret: string,
  rawBody: string,
  header: string | undefined,
  now: Date,
  toleranceSeconds: number,
): void {
  if (!header) throw new DeliveryReportRejected('missing_signature', `no ${REPORT_SIGNATURE_HEADER} header`);
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header.trim());
  if (!match?.[1] || !match[2]) {
    throw new DeliveryReportRejected('bad_signature', `${REPORT_SIGNATURE_HEADER} is not "t=<seconds>,v1=<hex>"`);
  }
  const [, timestamp, given] = match;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest();
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) {
    throw new DeliveryReportRejected('bad_signature', 'the delivery report signature does not match');
  }
  const ageSeconds = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (ageSeconds > toleranceSeconds) {
    throw new DeliveryReportRejected(
      'stale',
      `the delivery report was signed ${Math.round(ageSeconds)} s from now, beyond ${toleranceSeconds} s`,
    );
  }
}
