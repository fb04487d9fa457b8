import type { FastifyBaseLogger } from 'fastify';

/** One event as an emulator sent it: the body never changes, the headers are made per attempt. */
export interface WebhookMessage {
  /** The vendor's event id; resending uses it. */
  id: string;
  type: string;
  /** The exact bytes sent, so a resend is byte-for-byte the same event. */
  body: string;
  /** Signs one attempt: vendors put the attempt's time in the signature. */
  headers: (attemptedAt: Date) => Record<string, string>;
  /**
   * Where this one event goes, for vendors that take a callback URL with each request (an SMS
   * provider's delivery reports); otherwise the webhook base URL plus the sender's `path`.
   */
  url?: string;
}

export interface DeliveryRecord {
  id: string;
  type: string;
  url: string | null;
  attempts: { at: string; status: number | null; error: string | null }[];
  delivered: boolean;
}

export interface WebhookSenderOptions {
  /** The gateway's path under the webhook base URL (`/webhooks/<gateway>`). */
  path: string;
  webhookBaseUrl: () => string | undefined;
  /** Pauses before the 2nd, 3rd, ... attempt; real gateways back off over days, tests over milliseconds. */
  retryDelaysMs: number[];
  logger?: FastifyBaseLogger;
  now?: () => Date;
}

/**
 * Sends signed events to the Handover server the way a gateway does: asynchronously, retried with
 * backoff on anything but a 2xx, and at least once (a resend delivers the same event again).
 */
export class WebhookSender {
  private readonly messages = new Map<string, WebhookMessage>();
  private readonly deliveries: DeliveryRecord[] = [];
  /** Bumped by reset() so that retries scheduled before it stop. */
  private generation = 0;

  constructor(private readonly options: WebhookSenderOptions) {}

  send(message: WebhookMessage): void {
    this.messages.set(message.id, message);
    void this.deliver(message);
  }

  /** Delivers an already sent event again, as a gateway's at-least-once delivery may. */
  resend(id: string): boolean {
    const message = this.messages.get(id);
    if (!message) return false;
    void this.deliver(message);
    return true;
  }

  list(): DeliveryRecord[] {
    return structuredClone(this.deliveries);
  }

  reset(): void {
    this.generation += 1;
    this.messages.clear();
    this.deliveries.length = 0;
  }

  private async deliver(message: WebhookMessage): Promise<void> {
    const generation = this.generation;
    const now = this.options.now ?? (() => new Date());
    const base = this.options.webhookBaseUrl();
    const url = message.url ?? (base ? `${base.replace(/\/$/, '')}${this.options.path}` : null);
    const record: DeliveryRecord = { id: message.id, type: message.type, url, attempts: [], delivered: false };
    this.deliveries.push(record);
    if (!url) {
      this.options.logger?.warn({ event: message.id }, 'no webhook base URL set; event not delivered');
      return;
    }
    const delays = [0, ...this.options.retryDelaysMs];
    for (const delay of delays) {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay).unref());
      if (generation !== this.generation) return;
      const at = now();
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...message.headers(at) },
          body: message.body,
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        record.attempts.push({ at: at.toISOString(), status: res.status, error: null });
        if (res.ok) {
          record.delivered = true;
          return;
        }
      } catch (error) {
        record.attempts.push({ at: at.toISOString(), status: null, error: (error as Error).message });
      }
    }
    this.options.logger?.warn({ event: message.id, url }, 'webhook not accepted after every attempt');
  }
}
