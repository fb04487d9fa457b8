import { z } from 'zod';

export const esimAccessConfigSchema = z.object({
  /** `https://api.esimaccess.com`, or the sandbox's `http://localhost:4010/esimaccess`. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  accessCode: z.string().min(1, 'is required'),
  secretKey: z.string().min(1, 'is required'),
  timeoutMs: z.number().int().positive().default(15_000),
});
export type EsimAccessConfig = z.input<typeof esimAccessConfigSchema>;

/** The server's and worker's eSIM settings: ESIMACCESS_API_URL, ESIMACCESS_ACCESS_CODE, ESIMACCESS_SECRET_KEY, ESIMACCESS_TIMEOUT_MS. */
export const esimAccessEnvSchema = z
  .object({
    ESIMACCESS_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    ESIMACCESS_ACCESS_CODE: z.string().min(1, 'is required'),
    ESIMACCESS_SECRET_KEY: z.string().min(1, 'is required'),
    ESIMACCESS_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  })
  .transform(
    (env): z.output<typeof esimAccessConfigSchema> => ({
      baseUrl: env.ESIMACCESS_API_URL,
      accessCode: env.ESIMACCESS_ACCESS_CODE,
      secretKey: env.ESIMACCESS_SECRET_KEY,
      timeoutMs: env.ESIMACCESS_TIMEOUT_MS,
    }),
  );
