import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks signing, as the specification gives it: `webhook-signature: v1,<base64 of
 * HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>">`, keyed with the base64 secret
 * that follows `whsec_`.
 */
export function standardWebhookHeaders(secret: string, id: string, body: string, at: Date): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
