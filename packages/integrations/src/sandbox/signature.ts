import { createHmac, timingSafeEqual } from 'node:crypto';

export const SANDBOX_SIGNATURE_HEADER = 'Handover-Sandbox-Signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the shared secret. */
export function signSandboxPayload(body: string, secret: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** Why a signature header is refused, or null when it signs `body` within `toleranceSeconds` of `now`. */
export function checkSandboxSignature(
  header: string,
  body: Buffer,
  secret: string,
  now: Date,
  toleranceSeconds: number,
): string | null {
  const parts = new Map(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const signatures = header
    .split(',')
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3));
  if (!Number.isInteger(t) || signatures.length === 0) return 'malformed signature header';
  if (Math.abs(Math.floor(now.getTime() / 1000) - t) > toleranceSeconds) return 'timestamp outside the tolerance';
  const expected = createHmac('sha256', secret).update(`${t}.`).update(body).digest();
  const matches = signatures.some((hex) => {
    const given = Buffer.from(hex, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? null : 'signature does not match';
}
