import { envBoolean } from '@handover/core';
import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const arkeselConfigSchema = z
  .object({
    /** Arkesel's host (`https://sms.arkesel.com`), or the sandbox's `http://localhost:4010/arkesel`. */
    baseUrl: httpUrl.default('https://sms.arkesel.com'),
    apiKey: z.string().min(1, 'is required'),
    /** The sender id recipients see; Arkesel takes at most 11 characters. */
    senderId: z.string().regex(/^[A-Za-z0-9 ]{1,11}$/, 'must be 1 to 11 letters, digits or spaces'),
    /** Where Arkesel reports each text's delivery: Handover's delivery-report route. */
    callbackUrl: httpUrl.optional(),
    /** The key of the token each text's callback URL carries (see callbackToken.ts). */
    callbackSecret: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Arkesel's own sandbox flag: texts are accepted but not sent to the networks, and not billed. */
    sandbox: z.boolean().default(false),
    timeoutMs: z.number().int().positive().default(15_000),
    /** Sends this process makes per second at most; more wait their turn. */
    sendsPerSecond: z.number().positive().default(10),
  })
  .refine((config) => !config.callbackUrl || config.callbackSecret, {
    path: ['callbackSecret'],
    message: 'is required when delivery reports are asked for (callbackUrl)',
  });
export type ArkeselConfig = z.input<typeof arkeselConfigSchema>;

/**
 * The worker's and server's Arkesel settings: ARKESEL_API_URL, ARKESEL_API_KEY, ARKESEL_SENDER_ID,
 * ARKESEL_CALLBACK_URL, ARKESEL_CALLBACK_SECRET, ARKESEL_SANDBOX, ARKESEL_TIMEOUT_MS and
 * ARKESEL_SENDS_PER_SECOND.
 */
export const arkeselEnvSchema = z
  .object({
    ARKESEL_API_URL: httpUrl.default('https://sms.arkesel.com'),
    ARKESEL_API_KEY: z.string().min(1, 'is required'),
    ARKESEL_SENDER_ID: z.string().regex(/^[A-Za-z0-9 ]{1,11}$/, 'must be 1 to 11 letters, digits or spaces'),
    ARKESEL_CALLBACK_URL: httpUrl.optional(),
    ARKESEL_CALLBACK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    ARKESEL_SANDBOX: envBoolean.default(false),
    ARKESEL_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
    ARKESEL_SENDS_PER_SECOND: z.coerce.number().positive().default(10),
  })
  .refine((env) => !env.ARKESEL_CALLBACK_URL || env.ARKESEL_CALLBACK_SECRET, {
    path: ['ARKESEL_CALLBACK_SECRET'],
    message: 'is required when ARKESEL_CALLBACK_URL is set',
  })
  .transform(
    (env): ArkeselConfig => ({
      baseUrl: env.ARKESEL_API_URL,
      apiKey: env.ARKESEL_API_KEY,
      senderId: env.ARKESEL_SENDER_ID,
      callbackUrl: env.ARKESEL_CALLBACK_URL,
      callbackSecret: env.ARKESEL_CALLBACK_SECRET,
      sandbox: env.ARKESEL_SANDBOX,
      timeoutMs: env.ARKESEL_TIMEOUT_MS,
      sendsPerSecond: env.ARKESEL_SENDS_PER_SECOND,
    }),
  );
