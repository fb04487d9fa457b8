import { z } from 'zod';
import type { Emulator } from './emulator';
import { allEmulators } from './emulators';
import { startDnsServer } from './emulators/dns/server';
import { ZoneStore } from './emulators/dns/zones';
import { parseFaultsEnv } from './faults';
import { Mailbox } from './mail/mailbox';
import { startSmtpEmulator } from './mail/smtpServer';
import { createSandbox } from './sandbox';

const env = z
  .object({
    SANDBOX_HOST: z.string().default('127.0.0.1'),
    SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
    /** The DNS server (UDP and TCP) that answers from the registrar page's nameservers. */
    SANDBOX_DNS_PORT: z.coerce.number().int().min(0).max(65535).default(4053),
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
const zones = new ZoneStore();
let faults: ReturnType<typeof parseFaultsEnv>;
let emulators: Emulator[];
try {
  faults = parseFaultsEnv(config.SANDBOX_FAULTS);
  emulators = allEmulators(process.env, { zones });
} catch (error) {
  console.error(`sandbox: ${(error as Error).message}`);
  process.exit(1);
}

const mailbox = new Mailbox();
const app = await createSandbox({
  emulators,
  mailbox,
  publicUrl: config.SANDBOX_PUBLIC_URL ?? `http://localhost:${config.SANDBOX_PORT}`,
  webhookBaseUrl: config.SANDBOX_WEBHOOK_BASE_URL,
  faults,
  logger: { level: config.LOG_LEVEL },
});
await app.listen({ host: config.SANDBOX_HOST, port: config.SANDBOX_PORT });
const dns = await startDnsServer({ zones, host: config.SANDBOX_HOST, port: config.SANDBOX_DNS_PORT }).catch(
  async (error: Error) => {
    console.error(`sandbox: cannot serve DNS on port ${config.SANDBOX_DNS_PORT} (SANDBOX_DNS_PORT): ${error.message}`);
    await app.close();
    process.exit(1);
  },
);
app.log.info({ host: dns.host, port: dns.port }, 'sandbox DNS server listening (UDP and TCP)');
const smtp = await startSmtpEmulator({ mailbox, host: config.SANDBOX_HOST, port: config.SANDBOX_SMTP_PORT });
app.log.info({ port: smtp.port }, 'SMTP emulator listening');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.allSettled([app.close(), dns.close(), smtp.close()]).then(() => process.exit(0));
  });
}
