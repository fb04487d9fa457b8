import { AsyncLocalStorage } from 'node:async_hooks';

/** One HTTP call to a provider, as it will be logged (already redacted by the client). */
export interface ProviderCall {
  provider: string;
  method: string;
  url: string;
  request: unknown;
  response: unknown;
  httpStatus: number | null;
  durationMs: number;
  error: string | null;
}

const current = new AsyncLocalStorage<ProviderCall[]>();

/**
 * Runs `work` and returns, beside its result or error, every provider call made inside it.
 * The engine wraps each step in this so the calls land in fulfillment_logs with the step.
 */
export async function captureProviderCalls<T>(
  work: () => Promise<T>,
): Promise<{ calls: ProviderCall[] } & ({ ok: true; value: T } | { ok: false; error: unknown })> {
  const calls: ProviderCall[] = [];
  try {
    const value = await current.run(calls, work);
    return { calls, ok: true, value };
  } catch (error) {
    return { calls, ok: false, error };
  }
}

type ProviderCallListener = (call: ProviderCall) => void;
const listeners = new Set<ProviderCallListener>();

/**
 * Hears every provider call this process makes, captured or not (the metrics of calls' latency
 * and errors by vendor). Returns the function that stops listening.
 */
export function onProviderCall(listener: ProviderCallListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called by integration clients after every call; kept for the log inside `captureProviderCalls`. */
export function reportProviderCall(call: ProviderCall): void {
  current.getStore()?.push(call);
  for (const listener of listeners) listener(call);
}
