import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Emulator } from '@handover/sandbox';

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * Stands in for the Handover server's webhook route: it records every delivery and answers with
 * the statuses a test queues (200 once the queue is empty).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly statuses: number[] = [];
  private waiters: (() => void)[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(this.statuses.shift() ?? 200).end();
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  answerNext(...statuses: number[]): void {
    this.statuses.push(...statuses);
  }

  clear(): void {
    this.received.length = 0;
    this.statuses.length = 0;
  }

  /** Waits for a delivery that `match` accepts, failing after `timeoutMs`. */
  async waitFor(match: (webhook: ReceivedWebhook) => boolean, timeoutMs = 5_000): Promise<ReceivedWebhook> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching webhook within ${timeoutMs} ms; got ${this.received.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until at least `count` deliveries match. */
  async waitForCount(match: (webhook: ReceivedWebhook) => boolean, count: number, timeoutMs = 5_000) {
    const deadline = Date.now() + timeoutMs;
    while (this.received.filter(match).length < count) {
      if (Date.now() > deadline) throw new Error(`fewer than ${count} matching webhooks within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.received.filter(match);
  }
}

export const eventType = (type: string) => (webhook: ReceivedWebhook) => {
  const body = JSON.parse(webhook.body.toString('utf8')) as { type?: string; event_type?: string };
  return (body.type ?? body.event_type) === type;
};

/** The sandbox in-process on a free port, sending webhooks to a receiver of the test's own. */
export async function startPaymentSandbox(emulators: Emulator[]) {
  const receiver = new WebhookReceiver();
  await receiver.start();
  const app = await createSandbox({ emulators, publicUrl: 'http://placeholder', hangMs: 200 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const control = async (path: string, method = 'POST', body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  await control('/_control/webhooks', 'PUT', { baseUrl: receiver.url });
  return {
    url,
    receiver,
    control,
    /** Follows a hosted page's form button, as a browser would: a form POST, not following the redirect. */
    async clickButton(pageUrl: string, action: string): Promise<Response> {
      const page = new URL(pageUrl);
      const target = new URL(page.pathname, url);
      const html = await (await fetch(new URL(`${page.pathname}${page.search}`, url))).text();
      const form = [...html.matchAll(/<form method="post" action="([^"]+)"><button[^>]*>([^<]+)<\/button>/g)].find(
        (m) => m[2]?.startsWith(action),
      );
      if (!form?.[1]) throw new Error(`no "${action}" button on ${target}`);
      return fetch(new URL(form[1].replace(/&amp;/g, '&'), url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
        redirect: 'manual',
      });
    },
    async reset(): Promise<void> {
      await control('/_control/reset');
      await control('/_control/webhooks', 'PUT', { baseUrl: receiver.url });
      receiver.clear();
    },
    async close(): Promise<void> {
      await app.close();
      await receiver.stop();
    },
  };
}
