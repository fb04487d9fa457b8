import {
  installVendorGuard,
  type Metrics,
  recordCircuitState,
  returnRateLimitToken,
  takeRateLimitToken,
} from '@handover/core';
import { connectionErrorFields } from '@handover/db';
import { createVendorGuard } from '@handover/integrations';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config';

/**
 * Every vendor call this worker makes goes through the vendor's shared rate limit (a token
 * bucket in PostgreSQL, on the engine's connections) and a circuit breaker per vendor, whose
 * state is written for the back office, the metrics and the circuit_open alert.
 */
export function installWorkerVendorGuard(deps: {
  config: WorkerConfig;
  pool: pg.Pool;
  nodeId: string;
  logger: Logger;
  metrics: Metrics;
}): () => void {
  const { config, pool, nodeId, logger, metrics } = deps;
  const fallback = {
    perSecond: config.PROVIDER_RATE_LIMIT_PER_SECOND,
    burst: Math.max(1, Math.ceil(config.PROVIDER_RATE_LIMIT_PER_SECOND * 2)),
  };
  let limiterWarnedAt = 0;
  const guard = createVendorGuard({
    breakerThreshold: config.PROVIDER_BREAKER_THRESHOLD,
    breakerOpenMs: config.PROVIDER_BREAKER_OPEN_MS,
    maxWaitMs: config.PROVIDER_RATE_LIMIT_MAX_WAIT_MS,
    limitOf: (vendor) => config.PROVIDER_RATE_LIMITS[vendor] ?? fallback,
    takeToken: (vendor, limit) => takeRateLimitToken(pool, vendor, limit),
    returnToken: (vendor) => returnRateLimitToken(pool, vendor),
    onLimiterError: (vendor, error) => {
      if (Date.now() - limiterWarnedAt < 60_000) return;
      limiterWarnedAt = Date.now();
      logger.warn(
        { vendor, ...connectionErrorFields(error) },
        'the rate limit could not be read; calls go ahead unlimited',
      );
    },
    onStateChange: (vendor, state, lastError) => {
      metrics.circuitState.set({ vendor }, state === 'open' ? 1 : state === 'half_open' ? 2 : 0);
      if (state === 'open')
        logger.warn({ vendor, reason: lastError }, "a vendor's circuit opened: its calls are paused");
      else logger.info({ vendor, state }, "a vendor's circuit changed state");
      recordCircuitState(pool, { vendor, nodeId, state, lastError }).catch((error) =>
        logger.warn({ vendor, ...connectionErrorFields(error) }, 'the circuit state could not be written'),
      );
    },
  });
  installVendorGuard(guard);
  return () => installVendorGuard(null);
}
