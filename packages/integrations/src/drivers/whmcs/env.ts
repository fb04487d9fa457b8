import { z } from 'zod';

const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const whmcsConfigSchema = z.object({
  /** The WHMCS installation's root, e.g. `https://billing.example.com` or the sandbox's `http://localhost:4010/whmcs`. */
  baseUrl: url,
  identifier: z.string().min(1, 'is required'),
  secret: z.string().min(1, 'is required'),
  /** WHMCS's API access key, for installations that restrict the API by IP. */
  accessKey: z.string().min(1).optional(),
  /** The id of the client custom field that holds the customer number (seed 004 signup). */
  customerNumberFieldId: z.number().int().positive(),
  timeoutMs: z.number().int().positive().default(15_000),
  /** Extra attempts for calls safe to repeat (reads, SSO tokens), with exponential backoff. */
  retries: z.number().int().min(0).max(5).default(2),
  retryInitialDelayMs: z.number().int().min(0).default(200),
  /** Transient failures in a row that open the circuit breaker. */
  breakerThreshold: z.number().int().min(1).default(5),
  /** How long an open breaker pauses calls before one probe goes through. */
  breakerOpenMs: z.number().int().min(1).default(30_000),
});
export type WhmcsConfig = z.input<typeof whmcsConfigSchema>;

/**
 * The server's and worker's WHMCS settings: WHMCS_API_URL, WHMCS_API_IDENTIFIER, WHMCS_API_SECRET,
 * WHMCS_API_ACCESS_KEY, WHMCS_CUSTOMER_NUMBER_FIELD_ID, WHMCS_TIMEOUT_MS, WHMCS_RETRIES,
 * WHMCS_BREAKER_THRESHOLD, WHMCS_BREAKER_OPEN_MS.
 */
export const whmcsEnvSchema = z
  .object({
    WHMCS_API_URL: url,
    WHMCS_API_IDENTIFIER: z.string().min(1, 'is required'),
    WHMCS_API_SECRET: z.string().min(1, 'is required'),
    WHMCS_API_ACCESS_KEY: z.string().min(1).optional(),
    WHMCS_CUSTOMER_NUMBER_FIELD_ID: z.coerce
      .number({ error: 'must be the id of the customer number custom field' })
      .int()
      .positive('must be the id of the customer number custom field'),
    WHMCS_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
    WHMCS_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
    WHMCS_BREAKER_THRESHOLD: z.coerce.number().int().min(1).default(5),
    WHMCS_BREAKER_OPEN_MS: z.coerce.number().int().min(1).default(30_000),
  })
  .transform(
    (env): z.output<typeof whmcsConfigSchema> => ({
      baseUrl: env.WHMCS_API_URL,
      identifier: env.WHMCS_API_IDENTIFIER,
      secret: env.WHMCS_API_SECRET,
      accessKey: env.WHMCS_API_ACCESS_KEY,
      customerNumberFieldId: env.WHMCS_CUSTOMER_NUMBER_FIELD_ID,
      timeoutMs: env.WHMCS_TIMEOUT_MS,
      retries: env.WHMCS_RETRIES,
      retryInitialDelayMs: 200,
      breakerThreshold: env.WHMCS_BREAKER_THRESHOLD,
      breakerOpenMs: env.WHMCS_BREAKER_OPEN_MS,
    }),
  );
