import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface ProvisionAttempt {
  orderId: string;
  handoverOrderId: string;
  url: string | null;
  idempotencyKey: string;
  status: number | null;
  response: unknown;
  error: string | null;
  at: string;
}

/**
 * The operator system's "Provision" quick action (seed 004 step 5): POST /provision/orders/:id
 * on Handover, signed as Handover's docs/security.md "Signed operator API" says: X-Timestamp (Unix
 * seconds), X-Nonce, Idempotency-Key, and X-Signature `sha256=` + hex HMAC-SHA256 over five
 * lines: method, path with query, timestamp, nonce, hex SHA-256 of the body.
 */
export async function callProvision(options: {
  baseUrl: string | undefined;
  secret: string;
  orderId: string;
  handoverOrderId: string;
  approvedBy: string;
  now: Date;
}): Promise<ProvisionAttempt> {
  // One key per operator-system order: pressing Provision again is a retry of the same request.
  const idempotencyKey = `${options.orderId}:provision`;
  const attempt: ProvisionAttempt = {
    orderId: options.orderId,
    handoverOrderId: options.handoverOrderId,
    url: null,
    idempotencyKey,
    status: null,
    response: null,
    error: null,
    at: options.now.toISOString(),
  };
  if (!options.baseUrl) {
    attempt.error = 'No Handover URL configured (HANDOVER_PROVISION_URL)';
    return attempt;
  }
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const url = new URL(`provision/orders/${encodeURIComponent(options.handoverOrderId)}`, base);
  attempt.url = url.toString();
  // The order's own id goes along, so Handover writes the outcome back to it.
  const body = JSON.stringify({ approvedBy: options.approvedBy, operatorOrderId: options.orderId });
  const timestamp = String(Math.floor(options.now.getTime() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const signed = ['POST', `${url.pathname}${url.search}`, timestamp, nonce, sha256Hex(body)].join('\n');
  const signature = `sha256=${createHmac('sha256', options.secret).update(signed).digest('hex')}`;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
        'x-timestamp': timestamp,
        'x-nonce': nonce,
        'x-signature': signature,
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    attempt.status = res.status;
    const text = await res.text();
    try {
      attempt.response = text ? JSON.parse(text) : null;
    } catch {
      attempt.response = text.slice(0, 2000);
    }
  } catch (error) {
    attempt.error = (error as Error).message;
  }
  return attempt;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
