import { Agent, request } from 'node:http';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadResult {
  requests: number;
  ok: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Sends requests over keep-alive connections and keeps their latencies. */
class LoadClient {
  private readonly url: URL;
  private readonly agent: Agent;
  readonly latencies: number[] = [];
  ok = 0;
  failed = 0;

  constructor(base: string, connections: number) {
    this.url = new URL(base);
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  /** Sends `item`; its latency counts from `since` (when it was due), so a queue shows in it. */
  async send(item: LoadRequest, since = performance.now()): Promise<void> {
    const status = await new Promise<number>((resolve) => {
      const req = request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          method: item.method,
          path: item.path,
          headers: item.body
            ? { 'content-type': 'application/json', ...item.headers, 'content-length': Buffer.byteLength(item.body) }
            : item.headers,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(item.body || undefined);
    });
    this.latencies.push(performance.now() - since);
    if (status >= 200 && status < 300) this.ok += 1;
    else this.failed += 1;
  }

  result(seconds: number): LoadResult {
    this.agent.destroy();
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return {
      requests: sorted.length,
      ok: this.ok,
      failed: this.failed,
      seconds,
      perSecond: this.ok / seconds,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
    };
  }
}

/**
 * Closed loop: `concurrency` connections each send the next request as soon as the last is
 * answered, for `seconds` or until `next` runs out. The most the route can take.
 */
export async function runLoad(options: {
  base: string;
  concurrency: number;
  seconds: number;
  next: () => LoadRequest | null;
}): Promise<LoadResult> {
  const client = new LoadClient(options.base, options.concurrency);
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline) {
        const item = options.next();
        if (!item) return;
        await client.send(item);
      }
    }),
  );
  return client.result((performance.now() - started) / 1000);
}

/**
 * Open loop: one request every 1/`perSecond` s whatever the answers, for `seconds`, so the
 * latencies are those of a steady load the server is offered (up to `connections` in flight).
 */
export async function runRate(options: {
  base: string;
  perSecond: number;
  seconds: number;
  connections: number;
  next: () => LoadRequest | null;
}): Promise<LoadResult> {
  const client = new LoadClient(options.base, options.connections);
  const interval = 1000 / options.perSecond;
  const started = performance.now();
  const total = Math.floor(options.perSecond * options.seconds);
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const item = options.next();
    if (!item) break;
    inFlight.push(client.send(item, due));
  }
  await Promise.all(inFlight);
  return client.result((performance.now() - started) / 1000);
}
