import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The correlation id of the work in hand: taken from an incoming request or webhook (or made
 * there), carried in the payload of every job added while it is current, and current again
 * while that job runs, so that log lines, provider-call logs and emails' headers about one
 * payment or request all name it.
 */
const current = new AsyncLocalStorage<string>();

/** The header a caller (or a proxy) names its request by; answered back on every response. */
export const CORRELATION_HEADER = 'x-correlation-id';

/** Where a job's payload carries it (a field no job schema uses). */
export const CORRELATION_PAYLOAD_FIELD = 'correlationId';

export function withCorrelation<T>(correlationId: string, work: () => T): T {
  return current.run(correlationId, work);
}

export function currentCorrelationId(): string | undefined {
  return current.getStore();
}

export function newCorrelationId(): string {
  return randomUUID();
}

/** A caller's id is kept when it looks like one (letters, digits, `-_.:`, up to 128); anything else gets a new one. */
export function correlationIdFrom(header: unknown): string {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : newCorrelationId();
}

/** For pino's `mixin`: every line logged while a correlation id is current carries it. */
export function correlationLogFields(): { correlationId?: string } {
  const id = current.getStore();
  return id ? { correlationId: id } : {};
}
