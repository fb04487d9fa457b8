import { randomBytes } from 'node:crypto';
import { choosePort } from '@handover/db/embedded';
import { type ManagedProcess, startProcess, waitForHttp } from './processes';

/**
 * Handover as it runs, in real processes on free ports: the sandbox (every outside system, its
 * SMTP server and payment emulators), API servers and workers, all on one database. Tests that
 * kill, restart and starve these processes (a database restart, the chaos suite) start it; each
 * server and worker can be started again on the same port after a kill.
 */
export interface Stack {
  databaseUrl: string;
  sandboxUrl: string;
  serverUrl: string;
  /** The worker's health and metrics listener (`/healthz`, `/metrics`). */
  workerOpsUrl(name: string): string;
  /** The server's metrics listener. */
  serverMetricsUrl: string;
  keys: StackKeys;
  /** The vendors' addresses and credentials the server and worker get (what `buildDrivers` reads). */
  vendorEnv: Record<string, string>;
  startServer(): Promise<ManagedProcess>;
  startWorker(name?: string, env?: Record<string, string>): Promise<ManagedProcess>;
  /** A process of the stack by name (`sandbox`, `server`, `worker`, …), when running. */
  process(name: string): ManagedProcess | undefined;
  /** Everything the processes printed, for a failure's message. */
  output(): string;
  stop(): Promise<void>;
}

export interface StackKeys {
  encryptionKeys: string;
  plugsaasApiKey: string;
  sandboxGatewaySecret: string;
  atIshareApiKey: string;
  metricsToken: string;
}

export interface StackOptions {
  databaseUrl: string;
  /** More settings for every worker (a short stale timeout, say). */
  workerEnv?: Record<string, string>;
  serverEnv?: Record<string, string>;
  /** Faults the sandbox starts with (SANDBOX_FAULTS). */
  sandboxEnv?: Record<string, string>;
  logLevel?: string;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const keys: StackKeys = {
    encryptionKeys: `k1=${randomBytes(32).toString('base64')}`,
    plugsaasApiKey: `stack-${randomBytes(12).toString('hex')}`,
    sandboxGatewaySecret: randomBytes(16).toString('hex'),
    atIshareApiKey: `stack-${randomBytes(12).toString('hex')}`,
    metricsToken: randomBytes(16).toString('hex'),
  };
  const ports = {
    sandbox: await choosePort(0),
    dns: await choosePort(0),
    smtp: await choosePort(0),
    server: await choosePort(0),
    serverMetrics: await choosePort(0),
  };
  const workerPorts = new Map<string, number>();
  const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
  const serverUrl = `http://127.0.0.1:${ports.server}`;
  const logLevel = options.logLevel ?? 'warn';
  const processes = new Map<string, ManagedProcess>();
  const finished: ManagedProcess[] = [];
  const launch = (name: string, entry: string, env: Record<string, string>) => {
    const previous = processes.get(name);
    if (previous) finished.push(previous);
    const proc = startProcess({ name, entry, env });
    processes.set(name, proc);
    return proc;
  };
  // Seed 004's eSIM Access: the worker needs its credentials, which the sandbox accepts.
  const esimAccess = {
    ESIMACCESS_ACCESS_CODE: `stack-${randomBytes(12).toString('hex')}`,
    ESIMACCESS_SECRET_KEY: `stack-${randomBytes(16).toString('hex')}`,
  };
  const whmcs = {
    WHMCS_API_IDENTIFIER: `stack-${randomBytes(12).toString('hex')}`,
    WHMCS_API_SECRET: `stack-${randomBytes(16).toString('hex')}`,
  };
  const vendorEnv = {
    ...esimAccess,
    ESIMACCESS_API_URL: `${sandboxUrl}/esimaccess`,
    PLUGSAAS_API_URL: `${sandboxUrl}/plugsaas`,
    PLUGSAAS_API_KEY: keys.plugsaasApiKey,
    AT_ISHARE_API_URL: `${sandboxUrl}/at-ishare`,
    AT_ISHARE_API_KEY: keys.atIshareApiKey,
    // Required by the saas-singletenant, license and download drivers (seed 003).
    INSTANCE_PROVISIONING_API_URL: `${sandboxUrl}/instance-provisioning`,
    INSTANCE_PROVISIONING_API_KEY: `stack-${randomBytes(12).toString('hex')}`,
    DOWNLOADS_DIR: '/nonexistent/handover-downloads',
    // Required by the whmcs driver (seed 004), with the credential the sandbox's WHMCS accepts.
    ...whmcs,
    WHMCS_API_URL: `${sandboxUrl}/whmcs`,
    WHMCS_CUSTOMER_NUMBER_FIELD_ID: '1',
  };
  const shared = {
    ...vendorEnv,
    DATABASE_URL: options.databaseUrl,
    HANDOVER_ENCRYPTION_KEYS: keys.encryptionKeys,
    LOG_LEVEL: logLevel,
    SANDBOX_GATEWAY_URL: `${sandboxUrl}/sandbox-gateway`,
    SANDBOX_GATEWAY_SECRET: keys.sandboxGatewaySecret,
    // Stripe's emulator: used only by a stack given Stripe keys (serverEnv and sandboxEnv).
    STRIPE_API_URL: sandboxUrl,
    PAYMENT_GATEWAY_TIMEOUT_MS: '3000',
    DNS_RESOLVER: 'dns',
    DNS_SERVER: `127.0.0.1:${ports.dns}`,
    METRICS_TOKEN: keys.metricsToken,
  };

  const sandbox = launch('sandbox', 'apps/sandbox/src/main.ts', {
    SANDBOX_HOST: '127.0.0.1',
    SANDBOX_PORT: String(ports.sandbox),
    SANDBOX_DNS_PORT: String(ports.dns),
    SANDBOX_SMTP_PORT: String(ports.smtp),
    SANDBOX_PUBLIC_URL: sandboxUrl,
    SANDBOX_WEBHOOK_BASE_URL: serverUrl,
    PLUGSAAS_API_KEY: keys.plugsaasApiKey,
    AT_ISHARE_API_KEY: keys.atIshareApiKey,
    SANDBOX_GATEWAY_SECRET: keys.sandboxGatewaySecret,
    ...esimAccess,
    INSTANCE_PROVISIONING_API_KEY: vendorEnv.INSTANCE_PROVISIONING_API_KEY,
    ...whmcs,
    LOG_LEVEL: logLevel,
    ...options.sandboxEnv,
  });
  await waitForHttp(`${sandboxUrl}/_control/healthz`, { process: sandbox });

  const stack: Stack = {
    databaseUrl: options.databaseUrl,
    sandboxUrl,
    serverUrl,
    serverMetricsUrl: `http://127.0.0.1:${ports.serverMetrics}/metrics`,
    workerOpsUrl: (name) => `http://127.0.0.1:${workerPorts.get(name) ?? 0}`,
    keys,
    vendorEnv,
    async startServer() {
      const server = launch('server', 'apps/server/src/main.ts', {
        ...shared,
        HOST: '127.0.0.1',
        PORT: String(ports.server),
        PUBLIC_URL: serverUrl,
        PASSWORD_HASH_COST_LOG2: '10',
        METRICS_PORT: String(ports.serverMetrics),
        ...options.serverEnv,
      });
      await waitForHttp(`${serverUrl}/livez`, { process: server, ok: (status) => status === 200 });
      return server;
    },
    async startWorker(name = 'worker', env = {}) {
      const port = workerPorts.get(name) ?? (await choosePort(0));
      workerPorts.set(name, port);
      const worker = launch(name, 'apps/worker/src/main.ts', {
        ...shared,
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(ports.smtp),
        SMTP_FROM: 'Handover <no-reply@handover.test>',
        PORTAL_URL: 'http://portal.test',
        WORKER_POLL_INTERVAL_MS: '200',
        METRICS_PORT: String(port),
        ...options.workerEnv,
        ...env,
      });
      await waitForHttp(`http://127.0.0.1:${port}/livez`, { process: worker, ok: (status) => status === 200 });
      return worker;
    },
    process: (name) => processes.get(name),
    output: () =>
      [...finished, ...processes.values()].map((p) => `--- ${p.name}\n${p.output().slice(-20_000)}`).join('\n'),
    async stop() {
      const running = [...processes.values()];
      await Promise.all(running.filter((p) => p.name !== 'sandbox').map((p) => p.stop('SIGTERM', 10_000)));
      await Promise.all(running.filter((p) => p.name === 'sandbox').map((p) => p.stop('SIGTERM', 5_000)));
    },
  };
  return stack;
}
