import { z } from 'zod';

export const atIshareConfigSchema = z.object({
  /** Where the reseller's `/api/v1/...` lives, e.g. the sandbox's `http://localhost:4010/at-ishare`. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  apiKey: z.string().min(1, 'is required'),
  /** Seed 002 lists network timeouts among its errors; a delivery that takes longer is retried under its key. */
  timeoutMs: z.number().int().positive().default(20_000),
});
export type AtIshareConfig = z.input<typeof atIshareConfigSchema>;

/** The worker's AT-iShare settings: AT_ISHARE_API_URL, AT_ISHARE_API_KEY, AT_ISHARE_TIMEOUT_MS. */
export const atIshareEnvSchema = z
  .object({
    AT_ISHARE_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    AT_ISHARE_API_KEY: z.string().min(1, 'is required'),
    AT_ISHARE_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  })
  .transform(
    (env): z.output<typeof atIshareConfigSchema> => ({
      baseUrl: env.AT_ISHARE_API_URL,
      apiKey: env.AT_ISHARE_API_KEY,
      timeoutMs: env.AT_ISHARE_TIMEOUT_MS,
    }),
  );
