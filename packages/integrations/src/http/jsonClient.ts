import {
  guardedProviderCall,
  PermanentError,
  redact,
  redactUrl,
  reportProviderCall,
  TransientError,
} from '@handover/core';
import type { z } from 'zod';

export interface JsonClientOptions {
  /** Names the provider in logs and errors (e.g. `plugsaas`). */
  provider: string;
  baseUrl: string;
  timeoutMs: number;
  /** Headers on every request (authentication, for one); called per request. */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /** The header the vendor reads idempotency keys from. */
  idempotencyHeader?: string;
  /** Field names to hide in logs beyond the usual secret-looking ones. */
  redactKeys?: string[];
  /**
   * Reads an answer the vendor's own way, before the usual rules: a vendor's error code that
   * tells two 4xx apart (a refused phone number from an empty float), or a failure reported
   * inside a 2xx answer (WHMCS's `result: error`, eSIM Access's `success: false`). Returns the
   * error to throw, or undefined for the usual rules (status code, then the response schema).
   */
  classifyAnswer?: (answer: {
    status: number;
    headers: Headers;
    body: unknown;
  }) => TransientError | PermanentError | undefined;
  fetch?: typeof fetch;
}

export interface JsonRequest<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Sent as JSON, or as a form when `form` is set. */
  body?: unknown;
  form?: boolean;
  idempotencyKey?: string;
  timeoutMs?: number;
  /** The response body's shape; a body that does not match is a permanent error. */
  response: S;
}

/**
 * A vendor's HTTP API over fetch. Failures come out classified: network errors, timeouts,
 * 408, 429 (with Retry-After) and 5xx as TransientError; other 4xx and malformed answers as
 * PermanentError. Every call is reported, redacted, for the fulfillment log.
 */
export class JsonClient {
  constructor(private readonly options: JsonClientOptions) {}

  get provider(): string {
    return this.options.provider;
  }

  /** One call, through the vendor's rate limit and circuit breaker when the process has them (vendorGuard). */
  request<S extends z.ZodType>(req: JsonRequest<S>): Promise<z.output<S>> {
    return guardedProviderCall(this.options.provider, () => this.send(req));
  }

  private async send<S extends z.ZodType>(req: JsonRequest<S>): Promise<z.output<S>> {
    const { provider } = this.options;
    const url = this.url(req.path, req.query);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(await this.options.headers?.()),
      ...req.headers,
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      headers['content-type'] = req.form ? 'application/x-www-form-urlencoded' : 'application/json';
      body = req.form ? new URLSearchParams(req.body as Record<string, string>).toString() : JSON.stringify(req.body);
    }
    if (req.idempotencyKey && this.options.idempotencyHeader) {
      headers[this.options.idempotencyHeader] = req.idempotencyKey;
    }

    const started = performance.now();
    const record = (httpStatus: number | null, response: unknown, error: string | null) =>
      reportProviderCall({
        provider,
        method: req.method,
        url: redactUrl(url),
        request: req.body === undefined ? null : redact(req.body, this.options.redactKeys),
        response: redact(response, this.options.redactKeys),
        httpStatus,
        durationMs: Math.round(performance.now() - started),
        error,
      });

    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(url, {
        method: req.method,
        headers,
        body,
        signal: AbortSignal.timeout(req.timeoutMs ?? this.options.timeoutMs),
      });
    } catch (cause) {
      const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
      const error = timedOut
        ? new TransientError(
            `${provider} did not answer within ${req.timeoutMs ?? this.options.timeoutMs} ms`,
            'timeout',
            {
              cause,
            },
          )
        : new TransientError(`${provider} could not be reached: ${(cause as Error).message}`, 'network_error', {
            cause,
          });
      record(null, null, error.message);
      throw error;
    }

    const text = await res.text();
    const parsedBody = parseJson(text);
    const refused =
      this.options.classifyAnswer?.({ status: res.status, headers: res.headers, body: parsedBody ?? text }) ??
      (res.ok
        ? undefined
        : classifyHttpError(provider, { status: res.status, headers: res.headers, body: parsedBody ?? text }));
    if (refused) {
      record(res.status, parsedBody ?? truncate(text), refused.message);
      throw refused;
    }
    const result = req.response.safeParse(parsedBody);
    if (!result.success) {
      const error = new PermanentError(
        `${provider} answered ${req.method} ${req.path} with an unexpected body`,
        'invalid_response',
        { httpStatus: res.status, cause: result.error },
      );
      record(res.status, parsedBody ?? truncate(text), error.message);
      throw error;
    }
    record(res.status, parsedBody, null);
    return result.data;
  }

  /** The URL a request to `path` goes to (a signing client signs its path). */
  url(path: string, query?: JsonRequest<z.ZodType>['query']): string {
    const url = new URL(
      path.replace(/^\//, ''),
      this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`,
    );
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function truncate(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/** What a failed HTTP answer means for retrying. */
export function classifyHttpError(
  provider: string,
  { status, headers, body }: { status: number; headers: Headers; body: unknown },
  /** The refusal's code when the vendor's answer names one; otherwise by status. */
  code?: string,
): TransientError | PermanentError {
  const detail = messageOf(body);
  const message = `${provider} answered ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 429) {
    return new TransientError(message, 'rate_limited', {
      httpStatus: 429,
      retryAfterMs: retryAfterMs(headers.get('retry-after')),
    });
  }
  if (status === 408 || status >= 500) {
    return new TransientError(message, 'provider_unavailable', {
      httpStatus: status,
      retryAfterMs: retryAfterMs(headers.get('retry-after')),
    });
  }
  const byStatus = status === 401 || status === 403 ? 'unauthorized' : status === 409 ? 'conflict' : 'rejected';
  return new PermanentError(message, code ?? byStatus, { httpStatus: status });
}

function messageOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 200) || undefined;
  // Salesforce answers with an array of {errorCode, message}.
  if (Array.isArray(body)) return body.map(messageOf).filter(Boolean).join('; ') || undefined;
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const candidate = b.message ?? b.error_description ?? b.error ?? b.detail;
    if (typeof candidate === 'string')
      return typeof b.errorCode === 'string' ? `${b.errorCode}: ${candidate}` : candidate;
    if (
      candidate &&
      typeof candidate === 'object' &&
      typeof (candidate as { message?: unknown }).message === 'string'
    ) {
      return (candidate as { message: string }).message;
    }
  }
  return undefined;
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
