import { createHmac } from 'node:crypto';

/**
 * Arkesel does not sign its delivery callbacks (they carry `sms_id` and `status`, nothing to
 * authenticate them), so the sandbox signs each one itself, in a scheme of Handover's choosing:
 * `X-Sms-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the
 * shared callback secret. The time is the attempt's, so a resent report carries a fresh one.
 */
export const SIGNATURE_HEADER = 'x-sms-signature';

export function signedReportHeaders(secret: string, body: string, at: Date): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return { [SIGNATURE_HEADER]: `t=${timestamp},v1=${signature}` };
}
