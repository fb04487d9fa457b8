import { z } from 'zod';

export const plugsaasConfigSchema = z.object({
  /** Where PlugSaaS's `/api/...` lives, e.g. the sandbox's `http://localhost:4010/plugsaas`. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  apiKey: z.string().min(1, 'is required'),
  timeoutMs: z.number().int().positive().default(15_000),
});
export type PlugsaasConfig = z.input<typeof plugsaasConfigSchema>;

/** The server's and worker's PlugSaaS settings: PLUGSAAS_API_URL, PLUGSAAS_API_KEY, PLUGSAAS_TIMEOUT_MS. */
export const plugsaasEnvSchema = z
  .object({
    PLUGSAAS_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    PLUGSAAS_API_KEY: z.string().min(1, 'is required'),
    PLUGSAAS_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  })
  .transform(
    (env): z.output<typeof plugsaasConfigSchema> => ({
      baseUrl: env.PLUGSAAS_API_URL,
      apiKey: env.PLUGSAAS_API_KEY,
      timeoutMs: env.PLUGSAAS_TIMEOUT_MS,
    }),
  );
export type PlugsaasEnv = z.output<typeof plugsaasEnvSchema>;
