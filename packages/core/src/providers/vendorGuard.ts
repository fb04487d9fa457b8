/**
 * What every call to a vendor goes through in a process that installs one (the worker): its
 * vendor's rate limit, shared by every process, and its circuit breaker. Integration clients call
 * `guardedProviderCall`; without a guard installed (the server, tests) the call just runs.
 */
export interface VendorGuard {
  call<T>(vendor: string, work: () => Promise<T>): Promise<T>;
}

let installed: VendorGuard | null = null;

/** Installs the process's guard (the worker, at start); null removes it. */
export function installVendorGuard(guard: VendorGuard | null): void {
  installed = guard;
}

export function guardedProviderCall<T>(vendor: string, work: () => Promise<T>): Promise<T> {
  return installed ? installed.call(vendor, work) : work();
}

/**
 * The codes of the transient errors a guard throws instead of calling: the vendor's circuit is
 * open, or its rate limit would make the call wait too long. The engine holds a record waiting
 * on them, without spending an attempt.
 */
export const VENDOR_PAUSED_CODES: ReadonlySet<string> = new Set(['circuit_open', 'vendor_rate_limit']);

/** Shown to the customer while the vendor's calls are paused. */
export const VENDOR_PAUSED_REASON =
  'Waiting for our provider, which is busy or not answering; this carries on by itself';
