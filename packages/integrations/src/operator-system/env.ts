import { z } from 'zod';

const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const operatorSystemConfigSchema = z.object({
  /** The org's instance URL, e.g. `https://acme.my.salesforce.com` or the sandbox's `http://localhost:4010/salesforce`. */
  baseUrl: url,
  /** The OAuth 2.0 token endpoint; defaults to `<baseUrl>/services/oauth2/token`. */
  tokenUrl: url.optional(),
  clientId: z.string().min(1, 'is required'),
  clientSecret: z.string().min(1, 'is required'),
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d$/, 'must look like v62.0')
    .default('v62.0'),
  timeoutMs: z.number().int().positive().default(15_000),
  /**
   * How long a token is reused. Salesforce's token answer has no expiry (tokens live for the
   * org's session timeout, 2 hours by default), so the client counts this long and refreshes
   * on a 401 INVALID_SESSION_ID before that.
   */
  tokenTtlSeconds: z.number().int().positive().default(7_200),
});
export type OperatorSystemConfig = z.input<typeof operatorSystemConfigSchema>;

/**
 * The server's and worker's operator-system settings: OPERATOR_SYSTEM_URL, OPERATOR_SYSTEM_TOKEN_URL,
 * OPERATOR_SYSTEM_CLIENT_ID, OPERATOR_SYSTEM_CLIENT_SECRET, OPERATOR_SYSTEM_API_VERSION,
 * OPERATOR_SYSTEM_TIMEOUT_MS, OPERATOR_SYSTEM_TOKEN_TTL_SECONDS.
 */
export const operatorSystemEnvSchema = z
  .object({
    OPERATOR_SYSTEM_URL: url,
    OPERATOR_SYSTEM_TOKEN_URL: url.optional(),
    OPERATOR_SYSTEM_CLIENT_ID: z.string().min(1, 'is required'),
    OPERATOR_SYSTEM_CLIENT_SECRET: z.string().min(1, 'is required'),
    OPERATOR_SYSTEM_API_VERSION: z
      .string()
      .regex(/^v\d+\.\d$/, 'must look like v62.0')
      .default('v62.0'),
    OPERATOR_SYSTEM_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
    OPERATOR_SYSTEM_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(7_200),
  })
  .transform(
    (env): z.output<typeof operatorSystemConfigSchema> => ({
      baseUrl: env.OPERATOR_SYSTEM_URL,
      tokenUrl: env.OPERATOR_SYSTEM_TOKEN_URL,
      clientId: env.OPERATOR_SYSTEM_CLIENT_ID,
      clientSecret: env.OPERATOR_SYSTEM_CLIENT_SECRET,
      apiVersion: env.OPERATOR_SYSTEM_API_VERSION,
      timeoutMs: env.OPERATOR_SYSTEM_TIMEOUT_MS,
      tokenTtlSeconds: env.OPERATOR_SYSTEM_TOKEN_TTL_SECONDS,
    }),
  );
