import { z } from 'zod';

export const sandboxGatewayConfigSchema = z.object({
  /** The sandbox gateway's base URL, e.g. http://localhost:4010/sandbox-gateway. */
  apiUrl: z.url(),
  /** Shared with the sandbox: authenticates our calls and signs its webhooks. */
  secret: z.string().min(16),
  timeoutMs: z.number().int().positive().default(10_000),
  webhookToleranceSeconds: z.number().int().positive().default(300),
});
export type SandboxGatewayConfig = z.input<typeof sandboxGatewayConfigSchema>;
