import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A signing secret as Standard Webhooks writes one: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The Standard Webhooks headers of one attempt. With two secrets (a rotation's overlap) the
 * signature header carries both signatures, and a receiver holding either accepts it.
 */
export function signedWebhookHeaders(input: {
  secrets: readonly string[];
  messageId: string;
  timestamp: Date;
  body: string;
}): Record<string, string> {
  const signature = input.secrets
    .map((secret) => new Webhook(secret).sign(input.messageId, input.timestamp, input.body))
    .join(' ');
  return {
    'webhook-id': input.messageId,
    'webhook-timestamp': String(Math.floor(input.timestamp.getTime() / 1000)),
    'webhook-signature': signature,
  };
}
