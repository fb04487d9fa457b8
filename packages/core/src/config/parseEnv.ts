import { z } from 'zod';
import { parseEncryptionKeys } from '../security/secrets';
import { parseNetworks } from '../webhooks/targetGuard';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly app: string,
    readonly problems: string[],
  ) {
    super(`${app}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Parses an app's environment with its schema. Each missing or bad variable is named with
 * what is wrong, so the operator can fix them all in one go.
 */
export function parseEnv<S extends z.ZodType>(
  app: string,
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const missing = issue.code === 'invalid_type' && env[String(issue.path[0])] === undefined;
    return missing ? `${name} is required` : `${name}: ${issue.message}`;
  });
  throw new ConfigError(app, problems);
}

/** An env boolean: `1`/`true`/`yes` or `0`/`false`/`no`. */
export const envBoolean = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((value) => ['1', 'true', 'yes'].includes(value));

export const envDatabaseUrl = z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' });

export const envLogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

export const envNodeEnv = z.enum(['development', 'test', 'production']).default('development');

/** `HANDOVER_ENCRYPTION_KEYS`: `id=base64key,...`, the first one encrypts. */
export const envEncryptionKeys = z.string().transform((value, ctx) => {
  try {
    const keys = parseEncryptionKeys(value);
    if (keys.length === 0) throw new Error('needs at least one key, as <id>=<base64 of 32 bytes>');
    return keys;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** A comma-separated list of CIDRs (`127.0.0.0/8,::1/128`), each checked. */
export const envNetworks = z.string().transform((value, ctx) => {
  try {
    return parseNetworks(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
