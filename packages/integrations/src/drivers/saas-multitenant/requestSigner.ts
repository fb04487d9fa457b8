import { createHash, createHmac } from 'node:crypto';

/** docs/saas-providers.md: a provider refuses a timestamp further than this from its clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** `v1=<hex HMAC-SHA256 of "<timestamp>.<content>">`: content is the raw body, or a GET's path. */
export function contractSignature(secret: string, timestamp: number, content: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${content}`).digest('hex')}`;
}

/**
 * Signs calls to providers. A provider accepts a (timestamp, signature) pair once, so the same
 * content signed twice within one second (a retry right after a failure) is dated one second
 * later instead, which the 5-minute window accepts.
 */
export class RequestSigner {
  /** Hash of (secret, content) -> the last timestamp it was signed with, while in the window. */
  private readonly lastSigned = new Map<string, number>();

  constructor(private readonly now: () => Date) {}

  headers(secret: string, content: string): Record<string, string> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    for (const [id, seconds] of this.lastSigned) {
      if (seconds < nowSeconds - SIGNATURE_TOLERANCE_SECONDS) this.lastSigned.delete(id);
    }
    const id = createHash('sha256').update(secret).update('\0').update(content).digest('hex');
    const last = this.lastSigned.get(id);
    const timestamp = last !== undefined && last >= nowSeconds ? last + 1 : nowSeconds;
    this.lastSigned.set(id, timestamp);
    return {
      'X-Handover-Timestamp': String(timestamp),
      'X-Handover-Signature': contractSignature(secret, timestamp, content),
    };
  }
}
