// `npm start` / `pnpm dev`: everything on one machine. An embedded PostgreSQL (unless
// DATABASE_URL is set), migrations, demo data, the sandbox, server and worker, and the
// portal and back office with hot reload. Ctrl-C stops all of it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hashPassword, parseEncryptionKeys, SecretBox } from '@handover/core';
import { DEMO_FILES, migrate, openOrm, seedDemo } from '@handover/db';
import {
  choosePort,
  type EmbeddedPostgresHandle,
  PostgresUserCannotEnter,
  startEmbeddedPostgres,
} from '@handover/db/embedded';
import { createServer as createVite, type ViteDevServer } from 'vite';
import { loadDevSecrets } from './lib/devSecrets';
import { linePrinter } from './lib/logLines';
import { type ManagedProcess, repoRoot, startProcess, waitForHttp } from './lib/processes';

if (typeof process.loadEnvFile === 'function') {
  try {
    process.loadEnvFile(join(repoRoot, '.env'));
  } catch {
    // No .env: defaults apply.
  }
}

const dataDir = join(repoRoot, '.data');
const processes: ManagedProcess[] = [];
const vites: ViteDevServer[] = [];
let database: EmbeddedPostgresHandle | null = null;
let stopping = false;
/** When a process last printed a line: the addresses wait for start-up's lines to stop. */
let lastLineAt = Date.now();

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nStopping Handover…');
    await Promise.allSettled(vites.map((v) => v.close()));
    await Promise.allSettled(processes.map((p) => p.stop('SIGTERM', 10_000)));
    await database?.stop().catch(() => {});
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

async function port(envName: string, preferred: number): Promise<number> {
  const fromEnv = process.env[envName];
  return fromEnv ? Number(fromEnv) : choosePort(preferred);
}

/**
 * The sandbox registrars' catch-all accounts, fixed in development so a person clicking through
 * a private SMTP order can type them (they open nothing outside the sandbox).
 */
const SANDBOX_REGISTRARS = {
  SPACESHIP_SANDBOX_API_KEY: 'dev-spaceship-key',
  SPACESHIP_SANDBOX_API_SECRET: 'dev-spaceship-secret',
  NAMECHEAP_SANDBOX_API_USER: 'sandboxuser',
  NAMECHEAP_SANDBOX_API_KEY: 'dev-namecheap-key-0000',
};

async function main(): Promise<void> {
  let databaseUrl = process.env.DATABASE_URL;
  let databaseLabel = databaseUrl ? 'from DATABASE_URL' : '';
  if (!databaseUrl) {
    console.log('Starting the embedded PostgreSQL (data in .data/postgres)…');
    database = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'postgres'),
      persistent: true,
      preferredPort: 54329,
    });
    await database.ensureDatabase('handover');
    databaseUrl = database.url('handover');
    databaseLabel = `embedded, postgres@127.0.0.1:${database.port}/handover (data in .data/postgres)`;
  }

  const secrets = loadDevSecrets(join(dataDir, 'dev-secrets.json'));
  const encryptionKeys = process.env.HANDOVER_ENCRYPTION_KEYS ?? secrets.encryptionKeys;
  const provisionApiSecrets = process.env.PROVISION_API_SECRETS ?? secrets.provisionApiSecret;
  const ports = {
    server: await port('PORT', 4000),
    sandbox: await port('SANDBOX_PORT', 4010),
    dns: await port('SANDBOX_DNS_PORT', 4053),
    smtp: await port('SANDBOX_SMTP_PORT', 2525),
    portal: await port('PORTAL_PORT', 5173),
    admin: await port('ADMIN_PORT', 5174),
  };
  const urls = {
    server: `http://localhost:${ports.server}`,
    sandbox: `http://localhost:${ports.sandbox}`,
    mail: `http://localhost:${ports.sandbox}/mail`,
    portal: `http://localhost:${ports.portal}`,
    admin: `http://localhost:${ports.admin}/admin/`,
    registrar: `http://localhost:${ports.sandbox}/registrar/`,
    texts: `http://localhost:${ports.sandbox}/arkesel/`,
    vendorApp: `http://localhost:${ports.sandbox}/vendor-app/`,
  };

  console.log('Applying migrations and loading demo data…');
  const { applied } = await migrate(databaseUrl);
  if (applied.length > 0) console.log(`  applied ${applied.length} migration(s)`);
  const orm = await openOrm({ url: databaseUrl, poolMax: 2 });
  const box = new SecretBox(parseEncryptionKeys(encryptionKeys));
  // Demo passwords are hashed at a lower cost: they are public and only exist in dev.
  const seeded = await seedDemo(orm.em.fork(), {
    hashPassword: (password) => hashPassword(password, { N: 2 ** 14, r: 8, p: 1 }),
    encryptSecret: (plaintext) => box.encrypt(plaintext),
    sandboxUrl: urls.sandbox,
    saasProviderSecret: secrets.saasProviderSecret,
  });
  await orm.close();
  // Seed 003's downloadable products keep their files on the local disk: the demo's are text files.
  const downloadsDir = process.env.DOWNLOADS_DIR ?? join(dataDir, 'downloads');
  for (const file of Object.values(DEMO_FILES).flat()) {
    const path = join(downloadsDir, file.key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(
      path,
      `${file.name}\n\nA stand-in file of the Handover demo, served through an expiring signed link.\n`,
    );
  }

  // Each payment gateway and its emulator get the same dev secrets (a value in the environment
  // wins); the server and worker reach the emulators through the sandbox (Stripe's SDK has no
  // base path, so it gets the sandbox root).
  const orDev = (values: Record<string, string>) =>
    Object.fromEntries(Object.entries(values).map(([name, value]) => [name, process.env[name] ?? value]));
  const payments = orDev({
    STRIPE_SECRET_KEY: secrets.stripeSecretKey,
    STRIPE_WEBHOOK_SECRET: secrets.stripeWebhookSecret,
    PAYPAL_CLIENT_ID: secrets.paypalClientId,
    PAYPAL_CLIENT_SECRET: secrets.paypalClientSecret,
    PAYPAL_WEBHOOK_ID: secrets.paypalWebhookId,
    DODO_API_KEY: secrets.dodoApiKey,
    DODO_WEBHOOK_SECRET: secrets.dodoWebhookSecret,
    SANDBOX_GATEWAY_SECRET: secrets.sandboxGatewaySecret,
  });
  const gatewayUrls = orDev({
    STRIPE_API_URL: urls.sandbox,
    PAYPAL_API_URL: `${urls.sandbox}/paypal`,
    DODO_API_URL: `${urls.sandbox}/dodo`,
    SANDBOX_GATEWAY_URL: `${urls.sandbox}/sandbox-gateway`,
  });

  const shared = {
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    DATABASE_URL: databaseUrl,
    HANDOVER_ENCRYPTION_KEYS: encryptionKeys,
    PLUGSAAS_API_KEY: secrets.plugsaasApiKey,
    // The sandbox's emulators accept these keys; the server and worker send them.
    AT_ISHARE_API_KEY: secrets.atIshareApiKey,
    ARKESEL_API_KEY: secrets.arkeselApiKey,
    // Outbound webhooks may reach a receiver on this machine in development (never by default).
    WEBHOOK_ALLOWED_PRIVATE_NETWORKS: process.env.WEBHOOK_ALLOWED_PRIVATE_NETWORKS ?? '127.0.0.0/8,::1/128',
    // The sandbox's Mailin.ai account, which the server and worker log in to.
    MAILIN_AI_EMAIL: 'automation@mailin.test',
    MAILIN_AI_PASSWORD: process.env.MAILIN_AI_PASSWORD ?? secrets.mailinPassword,
    // Seed 004: the sandbox's eSIM Access account and WHMCS API credential.
    ESIMACCESS_ACCESS_CODE: secrets.esimAccessCode,
    ESIMACCESS_SECRET_KEY: secrets.esimSecretKey,
    WHMCS_API_IDENTIFIER: secrets.whmcsIdentifier,
    WHMCS_API_SECRET: secrets.whmcsSecret,
    // Seed 004: the sandbox operator system's connected app, which the worker writes back with.
    SALESFORCE_CLIENT_ID: secrets.operatorClientId,
    SALESFORCE_CLIENT_SECRET: secrets.operatorClientSecret,
    OPERATOR_SYSTEM_CLIENT_ID: secrets.operatorClientId,
    OPERATOR_SYSTEM_CLIENT_SECRET: secrets.operatorClientSecret,
  };
  // Outside systems as the server and worker reach them: the sandbox's emulators.
  const sandboxBase = `http://127.0.0.1:${ports.sandbox}`;
  const vendors = {
    PLUGSAAS_API_URL: `${sandboxBase}/plugsaas`,
    // Seed 001's private SMTP: Mailin.ai and the customers' registrars, all in the sandbox.
    MAILIN_AI_AUTOMATION_ENABLED: 'true',
    MAILIN_AI_BASE_URL: `${sandboxBase}/mailin/api/v1/public`,
    SPACESHIP_API_URL: `${sandboxBase}/spaceship/api`,
    NAMECHEAP_API_URL: `${sandboxBase}/namecheap/xml.response`,
    NAMECHEAP_CLIENT_IP: '127.0.0.1',
    // Seed 000 checks DNS over Google's JSON API; `DNS_RESOLVER=dns pnpm dev` uses plain DNS instead.
    DNS_RESOLVER: process.env.DNS_RESOLVER ?? 'doh',
    DNS_DOH_URL: `${sandboxBase}/dns`,
    DNS_SERVER: `127.0.0.1:${ports.dns}`,
    // Seed 002: bundles through the sandbox's AT-iShare reseller, texts through its Arkesel, whose
    // delivery callbacks come back to the server (the worker puts the URL in each text).
    AT_ISHARE_API_URL: `${sandboxBase}/at-ishare`,
    ARKESEL_API_URL: `${sandboxBase}/arkesel`,
    ARKESEL_SENDER_ID: 'Handover',
    ARKESEL_CALLBACK_URL: `http://127.0.0.1:${ports.server}/webhooks/sms/arkesel`,
    ARKESEL_CALLBACK_SECRET: process.env.ARKESEL_CALLBACK_SECRET ?? secrets.arkeselCallbackSecret,
    // Seed 004: eSIMs from the sandbox's eSIM Access; the activation preflight asks its WHMCS for
    // payment methods on file (customer number in client custom field 1, as the emulator has it).
    ESIMACCESS_API_URL: `${sandboxBase}/esimaccess`,
    WHMCS_API_URL: `${sandboxBase}/whmcs`,
    WHMCS_CUSTOMER_NUMBER_FIELD_ID: '1',
    // Seed 003: dedicated instances from the sandbox's provisioning API; downloads from the local disk.
    INSTANCE_PROVISIONING_API_URL: `${sandboxBase}/instance-provisioning`,
    INSTANCE_PROVISIONING_API_KEY: process.env.INSTANCE_PROVISIONING_API_KEY ?? secrets.instanceProvisioningApiKey,
    DOWNLOADS_DIR: downloadsDir,
    // Seed 004: the operator system (Salesforce-shaped) that learns each provisioning's outcome.
    OPERATOR_SYSTEM_URL: `${sandboxBase}/salesforce`,
  };
  const launch = (name: string, entry: string, env: Record<string, string>) => {
    const print = linePrinter(name, processes.length);
    const onLine = (line: string) => {
      lastLineAt = Date.now();
      print(line);
    };
    const proc = startProcess({ name, entry, env: { ...shared, ...env }, onLine });
    processes.push(proc);
    void proc.exited.then((code) => {
      if (stopping) return;
      console.error(`\n${name} stopped unexpectedly (exit ${code}); stopping everything.`);
      void shutdown(1);
    });
    return proc;
  };

  const sandbox = launch('sandbox', 'apps/sandbox/src/main.ts', {
    ...payments,
    ...SANDBOX_REGISTRARS,
    SANDBOX_PORT: String(ports.sandbox),
    SANDBOX_DNS_PORT: String(ports.dns),
    SANDBOX_SMTP_PORT: String(ports.smtp),
    SANDBOX_PUBLIC_URL: urls.sandbox,
    SANDBOX_WEBHOOK_BASE_URL: urls.server,
    // The operator-system emulator's Provision button signs its calls to the server with it.
    PROVISION_API_SECRETS: provisionApiSecrets,
    // Seed 003: the point-of-sale provider checks the demo key ring's secret; the vendor app
    // page activates licence keys against the server's activation API.
    SAAS_PROVIDER_SECRETS: JSON.stringify({ 'point-of-sale': secrets.saasProviderSecret }),
    INSTANCE_PROVISIONING_API_KEY: process.env.INSTANCE_PROVISIONING_API_KEY ?? secrets.instanceProvisioningApiKey,
    VENDOR_APP_LICENSE_API_URL: `http://127.0.0.1:${ports.server}`,
  });
  await waitForHttp(`${urls.sandbox}/_control/healthz`, { process: sandbox });
  const server = launch('server', 'apps/server/src/main.ts', {
    ...payments,
    ...gatewayUrls,
    ...vendors,
    PORT: String(ports.server),
    PUBLIC_URL: urls.portal,
    PORTAL_URL: urls.portal,
    ADMIN_URL: urls.admin,
    PROVISION_API_SECRETS: provisionApiSecrets,
    DOWNLOAD_LINK_SECRET: process.env.DOWNLOAD_LINK_SECRET ?? secrets.downloadLinkSecret,
    SUPPORT_EMAIL: 'support@handover.test',
  });
  launch('worker', 'apps/worker/src/main.ts', {
    ...payments,
    ...gatewayUrls,
    ...vendors,
    PORTAL_URL: urls.portal,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(ports.smtp),
    SMTP_FROM: 'Handover <no-reply@handover.test>',
    SUPPORT_EMAIL: 'support@handover.test',
  });
  await waitForHttp(`${urls.server}/healthz`, { process: server, ok: (status) => status === 200 || status === 503 });

  process.env.HANDOVER_SERVER_URL = `http://127.0.0.1:${ports.server}`;
  for (const [app, appPort] of [
    ['portal', ports.portal],
    ['admin', ports.admin],
  ] as const) {
    const vite = await createVite({
      configFile: join(repoRoot, 'apps', app, 'vite.config.ts'),
      root: join(repoRoot, 'apps', app),
      server: { port: appPort, strictPort: true, host: '127.0.0.1' },
      logLevel: 'warn',
    });
    await vite.listen();
    vites.push(vite);
  }

  // The addresses come last, where a person looks: once the worker beats and start-up's lines stop.
  await waitForHttp(`${urls.server}/healthz`, {
    process: server,
    ok: (status) => status === 200,
    timeoutMs: 30_000,
  }).catch((error: Error) =>
    console.warn(`The worker has not reported in yet (${error.message.split('\n')[0]}); orders wait for it.`),
  );
  await quiet(1_500, 15_000);

  const pad = (s: string) => s.padEnd(14);
  console.log(
    [
      '',
      'Handover is running.',
      `  ${pad('Portal')}${urls.portal}`,
      `  ${pad('Back office')}${urls.admin}`,
      `  ${pad('API')}${urls.server}  (health: ${urls.server}/healthz, OpenAPI: ${urls.server}/openapi.json)`,
      `  ${pad('Sandbox')}${urls.sandbox}  (control API: ${urls.sandbox}/_control)`,
      `  ${pad('Registrar')}${urls.registrar}  (set a domain's nameservers; DNS on 127.0.0.1:${ports.dns})`,
      `  ${pad('Mail')}${urls.mail}  (every email sent, links clickable; SMTP on port ${ports.smtp})`,
      `  ${pad('Texts')}${urls.texts}  (every SMS sent through the sandbox's Arkesel)`,
      `  ${pad('Vendor app')}${urls.vendorApp}  (activate a licence key bought in the portal)`,
      `  ${pad('Database')}${databaseLabel}`,
      '',
      `Demo logins (password: ${seeded.users[0]?.password}):`,
      ...seeded.users.map((u) => `  ${pad(u.role)}${u.email}`),
      '',
      `Operator API secret (signs POST /provision/...): .data/dev-secrets.json, "provisionApiSecret"`,
      `API tokens: make one on the portal's account page, then \`pnpm handover login --url ${urls.server} --token <token>\``,
      `Private SMTP registrar keys for the sandbox: Spaceship ${SANDBOX_REGISTRARS.SPACESHIP_SANDBOX_API_KEY} / ${SANDBOX_REGISTRARS.SPACESHIP_SANDBOX_API_SECRET}; Namecheap ${SANDBOX_REGISTRARS.NAMECHEAP_SANDBOX_API_USER} / ${SANDBOX_REGISTRARS.NAMECHEAP_SANDBOX_API_KEY} (allow-listed: 127.0.0.1)`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

/** Waits until no process has printed for `forMs`, or `atMostMs` have passed. */
async function quiet(forMs: number, atMostMs: number): Promise<void> {
  const deadline = Date.now() + atMostMs;
  while (Date.now() - lastLineAt < forMs && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

main().catch(async (error) => {
  console.error(error instanceof PostgresUserCannotEnter ? error.message : error);
  await shutdown(1);
});
