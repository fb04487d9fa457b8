import { DriverRegistry } from '@handover/core';
import { useTestDatabase } from '@handover/db/vitest';
import {
  buildBundleResellerAccounts,
  createM365DomainAdapter,
  createNameserverResolver,
  createPaymentGateways,
  operatorSystemOf,
  PlugsaasClient,
  paymentGatewaysEnvSchema,
} from '@handover/integrations';
import { allEmulators, createSandbox, ZoneStore } from '@handover/sandbox';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { freePort, launchChromium } from '../../../../scripts/test/chromium';
import { startServer } from '../../../server/test/harness';
import { gatewayEnvFor, gatewaySecrets, pointWebhooksAt } from '../../../server/test/paymentStack';
import {
  AT_ISHARE_API_KEY,
  arkeselClient,
  bundleAdapter,
  bundleSandboxEnv,
} from '../../../worker/test/support/dataBundles';
import { ESIM_SANDBOX_ENV, esimAdapters } from '../../../worker/test/support/esim';
import { type InProcessWorker, startInProcessWorker, testKeys } from '../../../worker/test/support/inProcessWorker';
import {
  downloadsFolder,
  marketplaceAdapters,
  marketplaceSandboxEnv,
  stockKeyRing,
} from '../../../worker/test/support/marketplace';
import { createTestPrivateSmtpAdapter, PRIVATE_SMTP_SANDBOX_ENV } from '../../../worker/test/support/privateSmtp';
import {
  BILLING_SANDBOX_ENV,
  operatorSystemClient,
  whmcsParts,
  writeBackSender,
} from '../../../worker/test/support/whmcs';

const PLUGSAAS_API_KEY = 'plugsaas-portal-test-key-0123456789';
/** The secret the sandbox's operator system signs its Provision calls with, and the server checks. */
const PROVISION_API_SECRET = 'portal-provision-secret-0123456789abcdef0123456789';
/** Where the portal tells customers to write (SUPPORT_EMAIL). */
export const SUPPORT_EMAIL = 'help@handover.test';

export interface PortalStack {
  /** Where the server serves the built portal (and the API beside it). */
  readonly base: string;
  /** The sandbox: hosted payment pages, PlugSaaS, Mailin.ai and the registrars, the registrar page and DNS over HTTPS. */
  readonly sandboxUrl: string;
  readonly db: ReturnType<typeof useTestDatabase>;
  readonly worker: InProcessWorker;
  /** A new tab in a browser with no cookies: a new visitor. */
  visitor(): Promise<Page>;
}

/**
 * Everything a customer's journey needs, for one test file: a database of its own; one sandbox
 * serving every emulator on a real port, so a browser can open its payment, registrar and SMS
 * pages; a real worker with the Microsoft 365, data-bundle, private SMTP, eSIM and manual drivers,
 * texting through the sandbox's Arkesel; the server with real gateway clients, taking the texts'
 * delivery callbacks and serving the built portal at /; and Chromium at a phone's size.
 */
export function usePortalStack(): PortalStack {
  const db = useTestDatabase({ poolMax: 10 });
  const downloads = downloadsFolder({
    'invoicing/2.4.0/setup.zip': 'installer bytes',
    'templates/pack.txt': 'forty invoice templates',
  });
  let base = '';
  let sandboxUrl = '';
  let sandbox: Awaited<ReturnType<typeof createSandbox>> | undefined;
  let worker: InProcessWorker | undefined;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let chrome: Awaited<ReturnType<typeof launchChromium>> | undefined;

  beforeAll(async () => {
    const secrets = gatewaySecrets();
    const sandboxPort = await freePort();
    sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    sandbox = await createSandbox({
      emulators: allEmulators(
        {
          ...secrets,
          ...bundleSandboxEnv,
          ...PRIVATE_SMTP_SANDBOX_ENV,
          ...ESIM_SANDBOX_ENV,
          ...marketplaceSandboxEnv,
          ...BILLING_SANDBOX_ENV,
          PROVISION_API_SECRETS: PROVISION_API_SECRET,
          PLUGSAAS_API_KEY,
        },
        { zones: new ZoneStore() },
      ),
      publicUrl: sandboxUrl,
      hangMs: 2_000,
    });
    await sandbox.listen({ host: '127.0.0.1', port: sandboxPort });

    const gatewayEnv = gatewayEnvFor(sandboxUrl, secrets);
    const clock = { now: () => new Date() };
    const gateways = createPaymentGateways(paymentGatewaysEnvSchema.parse(gatewayEnv), { clock });
    // The marketplace's drivers bring the manual one (hybrid products delegate to it).
    // Seed 004's WHMCS: one client (one breaker) for the driver and the portal's billing pages.
    const billing = whmcsParts(sandboxUrl);
    const drivers = () => [
      createM365DomainAdapter(new PlugsaasClient({ baseUrl: `${sandboxUrl}/plugsaas`, apiKey: PLUGSAAS_API_KEY })),
      bundleAdapter(sandboxUrl),
      createTestPrivateSmtpAdapter(sandboxUrl),
      ...esimAdapters(sandboxUrl),
      ...marketplaceAdapters(sandboxUrl, downloads.root),
      billing.adapter,
    ];
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const callbackUrl = `${base}/webhooks/sms/arkesel`;
    worker = await startInProcessWorker(db, drivers(), {
      gateways,
      resolver: createNameserverResolver({ kind: 'doh', url: `${sandboxUrl}/dns`, timeoutMs: 2_000 }),
      sms: arkeselClient(sandboxUrl, callbackUrl),
      // Seed 004's operator system: the checkout's Order and the write-back.
      senders: { operator_system: writeBackSender(sandboxUrl, db.orm.em) },
    });
    server = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock,
      registry: new DriverRegistry(drivers()),
      gateways,
      port,
      spas: [{ prefix: '/', dir: inject('portalBuild') }],
      sms: arkeselClient(sandboxUrl, callbackUrl),
      billing: billing.billing,
      operatorSystem: operatorSystemOf(operatorSystemClient(sandboxUrl)),
      bundleResellers: buildBundleResellerAccounts(
        { AT_ISHARE_API_URL: `${sandboxUrl}/at-ishare`, AT_ISHARE_API_KEY },
        'server',
      ),
      downloadStorage: downloads.storage,
      env: {
        ...gatewayEnv,
        PUBLIC_URL: base,
        PORTAL_URL: base,
        ADMIN_URL: `${base}/admin/`,
        HANDOVER_ENCRYPTION_KEYS: testKeys,
        DOWNLOAD_LINK_SECRET: 'portal-download-link-secret-0123456789',
        SUPPORT_EMAIL: SUPPORT_EMAIL,
        PROVISION_API_SECRETS: PROVISION_API_SECRET,
      },
    });
    await pointWebhooksAt(sandboxUrl, base);
    // Seed 003: the provider's secret and the licence signing key, as an admin puts them in the
    // key ring; the sandbox's vendor app activates keys against this server.
    await stockKeyRing(db.orm.em.fork(), need(worker, 'the worker').secrets);
    await fetch(`${sandboxUrl}/_control/vendor-app/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiUrl: base }),
    });

    chrome = await launchChromium({
      // A phone: the portal must work at this size.
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
  });

  afterAll(async () => {
    await chrome?.close();
    await server?.app.close();
    await worker?.stop();
    await sandbox?.close();
    downloads.remove();
  });

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started`);
    return value;
  };

  return {
    get base() {
      return base;
    },
    get sandboxUrl() {
      return sandboxUrl;
    },
    db,
    get worker() {
      return need(worker, 'the worker');
    },
    async visitor() {
      const context = need(chrome?.context, 'the browser');
      await context.clearCookies();
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      return page;
    },
  };
}
