/** How the SDK waits and retries. */
export interface TransportOptions {
  /** The longest one HTTP request may take, in ms (default 30 000). */
  timeoutMs?: number;
  /** Retries of a request answered 429 or 503, or (queries only) that failed to connect (default 3). */
  retries?: number;
  /** The longest wait before a retry, whatever Retry-After says (default 60 000 ms). */
  maxRetryDelayMs?: number;
  fetch?: typeof fetch;
  /** Waits; tests replace it. */
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After as seconds or an HTTP date, in ms; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * A fetch that gives each request `timeoutMs`, and retries one answered 429 (the server did
 * nothing) or 503 (it could not, for now) after the wait its Retry-After asks, or a growing
 * one without it. A GET (a query, a download) is also retried when the connection failed; a
 * POST is not, as it may have been carried out.
 */
export function resilientFetch(options: TransportOptions = {}): typeof fetch {
  const base = options.fetch ?? globalThis.fetch;
  const retries = options.retries ?? 3;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxDelay = options.maxRetryDelayMs ?? 60_000;
  const sleep = options.sleep ?? sleepFor;
  return async (input, init) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const idempotent = method === 'GET' || method === 'HEAD';
    for (let attempt = 0; ; attempt += 1) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
      let response: Response;
      try {
        response = await base(input, { ...init, signal });
      } catch (error) {
        if (init?.signal?.aborted || !idempotent || attempt >= retries) throw timedOut(error, timeout, timeoutMs);
        await sleep(Math.min(maxDelay, 500 * 2 ** attempt));
        continue;
      }
      if ((response.status !== 429 && response.status !== 503) || attempt >= retries) return response;
      const wait = retryAfterMs(response.headers.get('retry-after')) ?? 500 * 2 ** attempt;
      await response.body?.cancel();
      await sleep(Math.min(maxDelay, wait));
    }
  };
}

function timedOut(error: unknown, timeout: AbortSignal, timeoutMs: number): unknown {
  return timeout.aborted ? new Error(`Handover did not answer within ${timeoutMs} ms`, { cause: error }) : error;
}
