import { z } from 'zod';
import { allEmulators } from './emulators';
import { parseFaultsEnv } from './faults';
import { Mailbox } from './mail/mailbox';
import { startSmtpEmulator } from './mail/smtpServer';
import { createSandbox } from './sandbox';

const env = z
  .object({
    SANDBOX_HOST: z.string().default('127.0.0.1'),
    SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
    /** The SMTP emulator's own TCP port. */
    SANDBOX_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
    SANDBOX_PUBLIC_URL: z.url().optional(),
    SANDBOX_FAULTS: z.string().optional(),
    /** The Handover server that receives the payment emulators' webhooks. */
    SANDBOX_WEBHOOK_BASE_URL: z.url().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .safeParse(process.env);

if (!env.success) {
  console.error(`sandbox: invalid configuration\n${z.prettifyError(env.error)}`);
  process.exit(1);
}

const config = env.data;
let faults: ReturnType<typeof parseFaultsEnv>;
try {
  faults = parseFaultsEnv(config.SANDBOX_FAULTS);
} catch (error) {
  console.error(`sandbox: ${(error as Error).message}`);
  process.exit(1);
}

const mailbox = new Mailbox();
const app = await createSandbox({
  emulators: allEmulators(process.env),
  mailbox,
  publicUrl: config.SANDBOX_PUBLIC_URL ?? `http://localhost:${config.SANDBOX_PORT}`,
  webhookBaseUrl: config.SANDBOX_WEBHOOK_BASE_URL,
  faults,
  logger: { level: config.LOG_LEVEL },
});
await app.listen({ host: config.SANDBOX_HOST, port: config.SANDBOX_PORT });
const smtp = await startSmtpEmulator({ mailbox, host: config.SANDBOX_HOST, port: config.SANDBOX_SMTP_PORT });
app.log.info({ port: smtp.port }, 'SMTP emulator listening');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.all([app.close(), smtp.close()]).then(() => process.exit(0));
  });
}
