import { TransientError, VENDOR_PAUSED_CODES } from '@handover/core';
import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  type RetryPolicy,
  retry,
} from 'cockatiel';

export interface ResilienceOptions {
  /** Names the provider in the circuit_open error. */
  provider: string;
  /** Transient failures in a row that open the breaker. */
  breakerThreshold: number;
  /** How long an open breaker refuses calls before letting one probe through. */
  breakerOpenMs: number;
  /** Extra attempts, with exponential backoff, for calls that are safe to repeat. */
  retries: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
}

// The vendor guard's own pauses (the vendor's shared breaker is open, its rate limit is taken) are
// neither retried here nor counted against the vendor a second time.
const transient = handleWhen((error) => error instanceof TransientError && !VENDOR_PAUSED_CODES.has(error.code));

/**
 * Retries and a circuit breaker (cockatiel) around a vendor's calls. Only transient failures
 * count: a refusal says nothing about the vendor's health. While the breaker is open calls fail
 * at once with TransientError `circuit_open` and a retryAfterMs, so an outage makes callers wait
 * instead of spending every record's attempts on it.
 */
export class Resilience {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly retry: RetryPolicy;
  private openedAt = 0;

  constructor(private readonly options: ResilienceOptions) {
    this.breaker = circuitBreaker(transient, {
      halfOpenAfter: options.breakerOpenMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold),
    });
    this.breaker.onBreak(() => {
      this.openedAt = Date.now();
    });
    this.retry = retry(transient, {
      maxAttempts: options.retries,
      backoff: new ExponentialBackoff({ initialDelay: options.retryInitialDelayMs, maxDelay: options.retryMaxDelayMs }),
    });
  }

  /** `closed`, `open` or `half_open`, for health checks and tests. */
  get state(): 'closed' | 'open' | 'half_open' {
    const state = this.breaker.state;
    return state === CircuitState.Open ? 'open' : state === CircuitState.HalfOpen ? 'half_open' : 'closed';
  }

  /** While the breaker is open, how long until it lets a probe through; 0 otherwise. */
  get reopensInMs(): number {
    if (this.state !== 'open') return 0;
    return Math.max(0, this.openedAt + this.options.breakerOpenMs - Date.now());
  }

  /** Runs `work` through the breaker; `repeatable` work is also retried on transient failures. */
  async run<T>(work: () => Promise<T>, options: { repeatable: boolean }): Promise<T> {
    const guarded = () => this.breaker.execute(work);
    try {
      return options.repeatable ? await this.retry.execute(guarded) : await guarded();
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        const retryAfterMs = Math.max(0, this.openedAt + this.options.breakerOpenMs - Date.now());
        throw new TransientError(
          `${this.options.provider} is failing: calls are paused after ${this.options.breakerThreshold} failures in a row`,
          'circuit_open',
          // Half-open with a probe in flight: try again shortly.
          { retryAfterMs: retryAfterMs || Math.min(1_000, this.options.breakerOpenMs), cause: error },
        );
      }
      throw error;
    }
  }
}
