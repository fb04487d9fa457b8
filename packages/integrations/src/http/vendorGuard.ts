import type { CircuitState as HandoverCircuitState } from '@handover/contracts';
import { type RateLimit, TransientError, VENDOR_PAUSED_CODES, type VendorGuard } from '@handover/core';
import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';

export interface VendorGuardOptions {
  /** Transient failures in a row that open a vendor's breaker. */
  breakerThreshold: number;
  /** How long an open breaker refuses calls before one probe goes through. */
  breakerOpenMs: number;
  /** The vendor's rate limit, shared by every process; null for none. */
  limitOf(vendor: string): RateLimit | null;
  /** Takes a call's token from the shared bucket: how long to wait for it, in ms. */
  takeToken(vendor: string, limit: RateLimit): Promise<number>;
  returnToken(vendor: string): Promise<void>;
  /** A call that would wait longer than this for its token is not made: the record waits instead. */
  maxWaitMs: number;
  /** A breaker changed state (for the back office, metrics and alerts). */
  onStateChange(vendor: string, state: HandoverCircuitState, lastError: string | null): void;
  /** The token bucket could not be read (the database is away): the call goes ahead unlimited. */
  onLimiterError?(vendor: string, error: unknown): void;
  sleep?(ms: number): Promise<void>;
}

/** Only a vendor's own transient failures say it is unhealthy; a refusal or our own pause does not. */
const isVendorFailure = (error: unknown) => error instanceof TransientError && !VENDOR_PAUSED_CODES.has(error.code);
const vendorFailure = handleWhen(isVendorFailure);

/**
 * Every vendor's calls through a circuit breaker of its own (cockatiel) and its shared rate
 * limit. While a vendor's breaker is open its calls fail at once with TransientError
 * `circuit_open` and how long until a probe; a call whose token is too far off fails with
 * `vendor_rate_limit`. The engine holds a record waiting on either, without spending an attempt.
 */
export function createVendorGuard(
  options: VendorGuardOptions,
): VendorGuard & { state(vendor: string): HandoverCircuitState } {
  const breakers = new Map<string, { policy: CircuitBreakerPolicy; openedAt: number; probing: boolean }>();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const breakerOf = (vendor: string) => {
    let found = breakers.get(vendor);
    if (!found) {
      const policy = circuitBreaker(vendorFailure, {
        halfOpenAfter: options.breakerOpenMs,
        breaker: new ConsecutiveBreaker(options.breakerThreshold),
      });
      const entry = { policy, openedAt: 0, probing: false };
      policy.onBreak((reason) => {
        entry.openedAt = Date.now();
        const error = 'error' in reason ? (reason.error as Error).message : 'opened by hand';
        options.onStateChange(vendor, 'open', error);
      });
      policy.onHalfOpen(() => {
        // Emitted just before the probe's own call runs: that call learns it is the probe.
        entry.probing = true;
        options.onStateChange(vendor, 'half_open', null);
      });
      policy.onReset(() => options.onStateChange(vendor, 'closed', null));
      breakers.set(vendor, entry);
      found = entry;
    }
    return found;
  };

  const limited = async <T>(vendor: string, work: () => Promise<T>): Promise<T> => {
    const limit = options.limitOf(vendor);
    if (!limit) return work();
    let waitMs = 0;
    try {
      waitMs = await options.takeToken(vendor, limit);
    } catch (error) {
      options.onLimiterError?.(vendor, error);
      return work();
    }
    if (waitMs > options.maxWaitMs) {
      await options.returnToken(vendor).catch(() => {});
      throw new TransientError(
        `${vendor}'s rate limit (${limit.perSecond}/s) is taken for the next ${Math.ceil(waitMs / 1000)} s`,
        'vendor_rate_limit',
        { retryAfterMs: waitMs },
      );
    }
    if (waitMs > 0) await sleep(waitMs);
    return work();
  };

  return {
    async call(vendor, work) {
      const breaker = breakerOf(vendor);
      let probe = false;
      try {
        return await breaker.policy.execute(() => {
          probe = breaker.probing;
          breaker.probing = false;
          return limited(vendor, work);
        });
      } catch (error) {
        const paused = (message: string, cause: unknown) => {
          const retryAfterMs = Math.max(0, breaker.openedAt + options.breakerOpenMs - Date.now());
          return new TransientError(message, 'circuit_open', {
            // Half-open with a probe in flight: try again shortly.
            retryAfterMs: retryAfterMs || Math.min(1_000, options.breakerOpenMs),
            cause,
          });
        };
        if (error instanceof BrokenCircuitError) {
          throw paused(
            `${vendor} is failing: calls are paused after ${options.breakerThreshold} failures in a row`,
            error,
          );
        }
        // The probe of an open breaker failed: the vendor is still down, which is no fault of the
        // record that happened to carry the probe, so it waits like the others instead of
        // spending an attempt on the outage.
        if (probe && isVendorFailure(error)) {
          throw paused(`${vendor} is still failing (${(error as Error).message}): calls stay paused`, error);
        }
        throw error;
      }
    },
    state(vendor) {
      const state = breakers.get(vendor)?.policy.state;
      return state === CircuitState.Open || state === CircuitState.Isolated
        ? 'open'
        : state === CircuitState.HalfOpen
          ? 'half_open'
          : 'closed';
    },
  };
}
