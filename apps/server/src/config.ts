import { envDatabaseUrl, envEncryptionKeys, envLogLevel, envNodeEnv, parseEnv } from '@handover/core';
import { z } from 'zod';

const schema = z.object({
  NODE_ENV: envNodeEnv,
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: envDatabaseUrl,
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Where customers reach the server (links in emails). */
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: envLogLevel,
  HANDOVER_ENCRYPTION_KEYS: envEncryptionKeys,
});

export type ServerConfig = z.output<typeof schema> & { publicUrl: string };

export function loadServerConfig(env: Record<string, string | undefined>): ServerConfig {
  const parsed = parseEnv('server', schema, env);
  return { ...parsed, publicUrl: parsed.PUBLIC_URL ?? `http://localhost:${parsed.PORT}` };
}
