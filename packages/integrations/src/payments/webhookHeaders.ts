import { type WebhookHeaders, WebhookVerificationError } from '@handover/core';

/** One header's value, however Node delivered it; a missing or repeated header is refused. */
export function requireHeader(headers: WebhookHeaders, name: string): string {
  const value = headers[name.toLowerCase()] ?? headers[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new WebhookVerificationError(`missing ${name} header`);
  }
  return value;
}

/** Parses a verified body as a JSON object, refusing anything else. */
export function parseJsonObject(rawBody: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookVerificationError('body is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new WebhookVerificationError('body is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}
