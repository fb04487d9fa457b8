import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const mailinConfigSchema = z.object({
  /** Where `/auth/login` lives: `https://api.mailin.ai/api/v1/public`, or the sandbox's `<sandbox>/mailin/api/v1/public`. */
  baseUrl: httpUrl,
  email: z.email('must be an email address'),
  password: z.string().min(1, 'is required'),
  deviceName: z.string().trim().min(1, 'is required').default('project inbox'),
  timeoutMs: z.number().int().positive().default(30_000),
});
export type MailinConfig = z.input<typeof mailinConfigSchema>;

export const spaceshipConfigSchema = z.object({
  /** Where `/v1/domains/...` lives: `https://spaceship.dev/api`, or the sandbox's `<sandbox>/spaceship/api`. */
  baseUrl: httpUrl,
  timeoutMs: z.number().int().positive().default(30_000),
});
export type SpaceshipConfig = z.input<typeof spaceshipConfigSchema>;

export const namecheapConfigSchema = z.object({
  /** The `xml.response` endpoint itself: `https://api.namecheap.com/xml.response`, or the sandbox's. */
  baseUrl: httpUrl,
  /** The address Namecheap sees Handover's calls come from; customers allow-list it. IPv4 only, as Namecheap asks. */
  clientIp: z.ipv4('must be an IPv4 address'),
  timeoutMs: z.number().int().positive().default(30_000),
});
export type NamecheapConfig = z.input<typeof namecheapConfigSchema>;

/** An env boolean, as seed 001's MAILIN_AI_AUTOMATION_ENABLED=true. */
const envSwitch = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'], { error: 'must be true or false' })
  .transform((value) => ['1', 'true', 'yes'].includes(value));

export interface PrivateSmtpSettings {
  /** Seed 001's switch: off, private SMTP orders are not automated and Mailin.ai is not configured. */
  enabled: boolean;
  mailin: z.output<typeof mailinConfigSchema> | null;
  spaceship: z.output<typeof spaceshipConfigSchema>;
  namecheap: z.output<typeof namecheapConfigSchema> | null;
  /** The customer portal, for the order link in the email that asks a customer to fix their registrar. */
  portalUrl: string;
}

/**
 * The private SMTP driver's settings (seed 001, Configuration & Setup): MAILIN_AI_AUTOMATION_ENABLED,
 * MAILIN_AI_BASE_URL, MAILIN_AI_EMAIL, MAILIN_AI_PASSWORD, MAILIN_AI_DEVICE_NAME ("project inbox"),
 * MAILIN_AI_TIMEOUT (seconds, 30); and the registrars' endpoints, SPACESHIP_API_URL and
 * NAMECHEAP_API_URL, with NAMECHEAP_CLIENT_IP; and PORTAL_URL for links in emails. Customers' registrar keys are not settings: they
 * come with each order. With the switch on, Mailin.ai's URL, email and password and the client IP
 * are required.
 */
export const privateSmtpEnvSchema = z
  .object({
    MAILIN_AI_AUTOMATION_ENABLED: envSwitch.default(false),
    MAILIN_AI_BASE_URL: httpUrl.optional(),
    MAILIN_AI_EMAIL: z.email('must be an email address').optional(),
    MAILIN_AI_PASSWORD: z.string().min(1, 'must not be empty').optional(),
    MAILIN_AI_DEVICE_NAME: z.string().trim().min(1, 'must not be empty').default('project inbox'),
    MAILIN_AI_TIMEOUT: z.coerce.number().positive('must be a number of seconds').max(600).default(30),
    SPACESHIP_API_URL: httpUrl.default('https://spaceship.dev/api'),
    NAMECHEAP_API_URL: httpUrl.default('https://api.namecheap.com/xml.response'),
    NAMECHEAP_CLIENT_IP: z.ipv4('must be an IPv4 address').optional(),
    PORTAL_URL: httpUrl.default('http://localhost:5173'),
  })
  .superRefine((env, ctx) => {
    if (!env.MAILIN_AI_AUTOMATION_ENABLED) return;
    for (const name of [
      'MAILIN_AI_BASE_URL',
      'MAILIN_AI_EMAIL',
      'MAILIN_AI_PASSWORD',
      'NAMECHEAP_CLIENT_IP',
    ] as const) {
      if (env[name] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'is required when MAILIN_AI_AUTOMATION_ENABLED is true',
        });
      }
    }
  })
  .transform((env): PrivateSmtpSettings => {
    const timeoutMs = Math.round(env.MAILIN_AI_TIMEOUT * 1000);
    const mailin =
      env.MAILIN_AI_BASE_URL && env.MAILIN_AI_EMAIL && env.MAILIN_AI_PASSWORD
        ? {
            baseUrl: env.MAILIN_AI_BASE_URL,
            email: env.MAILIN_AI_EMAIL,
            password: env.MAILIN_AI_PASSWORD,
            deviceName: env.MAILIN_AI_DEVICE_NAME,
            timeoutMs,
          }
        : null;
    return {
      enabled: env.MAILIN_AI_AUTOMATION_ENABLED,
      mailin,
      // The seed sets one timeout, Mailin.ai's; the registrars' calls get the same.
      spaceship: { baseUrl: env.SPACESHIP_API_URL, timeoutMs },
      namecheap: env.NAMECHEAP_CLIENT_IP
        ? { baseUrl: env.NAMECHEAP_API_URL, clientIp: env.NAMECHEAP_CLIENT_IP, timeoutMs }
        : null,
      portalUrl: env.PORTAL_URL,
    };
  });
