import { envDatabaseUrl, envEncryptionKeys, envLogLevel, envNodeEnv, parseEnv } from '@handover/core';
import { z } from 'zod';

const schema = z.object({
  NODE_ENV: envNodeEnv,
  DATABASE_URL: envDatabaseUrl,
  LOG_LEVEL: envLogLevel,
  /** Jobs this process runs at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  /** How often to look for jobs scheduled in the future, in ms (new jobs arrive by LISTEN at once). */
  WORKER_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).default(5000),
  /** A process silent for this long is taken for crashed and its jobs are freed. */
  WORKER_STALE_AFTER_MS: z.coerce.number().int().min(500).default(30_000),
  HANDOVER_ENCRYPTION_KEYS: envEncryptionKeys,
  /** The customer portal, for links in the messages the worker sends. */
  PORTAL_URL: z.url().default('http://localhost:5173'),
  /** A record's lease; renewed while its step runs, taken over only after a crash. */
  FULFILLMENT_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
});

export type WorkerConfig = z.output<typeof schema>;

export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  return parseEnv('worker', schema, env);
}
