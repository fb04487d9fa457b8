import { randomBytes } from 'node:crypto';
import type { UserRole } from '@handover/contracts';
import { DriverRegistry, systemClock } from '@handover/core';
import { Order } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import {
  buildBundleResellerAccounts,
  createPaymentGateways,
  createTestkitAdapter,
  paymentGatewaysEnvSchema,
  TestkitClient,
} from '@handover/integrations';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { freePort, launchChromium } from '../../../../scripts/test/chromium';
import { browser as apiClient, createUser, startServer, TEST_PASSWORD } from '../../../server/test/harness';
import { clickGatewayButton, pointWebhooksAt } from '../../../server/test/paymentStack';
import { AT_ISHARE_API_KEY, bundleAdapter, bundleSandboxEnv } from '../../../worker/test/support/dataBundles';
import { type InProcessWorker, startInProcessWorker, testKeys } from '../../../worker/test/support/inProcessWorker';
import { downloadsFolder, marketplaceAdapters, marketplaceSandboxEnv } from '../../../worker/test/support/marketplace';
import { createTestPrivateSmtpAdapter, PRIVATE_SMTP_SANDBOX_ENV } from '../../../worker/test/support/privateSmtp';
import { startTestSandbox, type TestSandbox } from '../../../worker/test/support/sandbox';
import { BILLING_SANDBOX_ENV, writeBackSender } from '../../../worker/test/support/whmcs';

export const STAFF = {
  admin: 'admin@handover.test',
  ops: 'ops@handover.test',
  finance: 'finance@handover.test',
} as const;

export interface BackOfficeStack {
  readonly base: string;
  readonly db: ReturnType<typeof useTestDatabase>;
  readonly sandbox: TestSandbox;
  readonly worker: InProcessWorker;
  readonly browser: BrowserContext;
  /** A fresh tab signed in as `role`. */
  signIn(role: keyof typeof STAFF): Promise<Page>;
  /** A guest's order for `productId`, paid on the sandbox gateway's page as the portal's checkout does. */
  paidOrder(productId: string, input?: Record<string, unknown>): Promise<Order>;
}

/**
 * Everything a back office journey needs, for one test file: a database of its own, the
 * sandbox, a real worker with the testkit, data-bundle, private SMTP and manual drivers and the
 * operator system's sender, the server serving the built back office at /admin/ with the sandbox
 * payment gateway, the staff users, and one Chromium.
 */
export function useBackOfficeStack(): BackOfficeStack {
  const db = useTestDatabase({ poolMax: 10 });
  const downloads = downloadsFolder();
  let base = '';
  let sandbox: TestSandbox | undefined;
  let worker: InProcessWorker | undefined;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let chrome: Awaited<ReturnType<typeof launchChromium>> | undefined;

  beforeAll(async () => {
    const gatewayEnv = { SANDBOX_GATEWAY_SECRET: randomBytes(16).toString('hex') };
    sandbox = await startTestSandbox({
      ...gatewayEnv,
      ...bundleSandboxEnv,
      ...PRIVATE_SMTP_SANDBOX_ENV,
      ...marketplaceSandboxEnv,
      SALESFORCE_CLIENT_ID: BILLING_SANDBOX_ENV.SALESFORCE_CLIENT_ID,
      SALESFORCE_CLIENT_SECRET: BILLING_SANDBOX_ENV.SALESFORCE_CLIENT_SECRET,
    });
    const sandboxUrl = sandbox.url;
    // The marketplace's drivers bring the manual one (hybrid products delegate to it).
    const drivers = () => [
      createTestkitAdapter(new TestkitClient({ baseUrl: sandbox?.testkitUrl ?? '' })),
      bundleAdapter(sandboxUrl),
      createTestPrivateSmtpAdapter(sandboxUrl),
      ...marketplaceAdapters(sandboxUrl, downloads.root),
    ];
    // The operator system's messages (the order messages panel sends a failed one again).
    worker = await startInProcessWorker(db, drivers(), {
      senders: { operator_system: writeBackSender(sandboxUrl, db.orm.em) },
    });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock: { now: () => new Date() },
      registry: new DriverRegistry(drivers()),
      port,
      spas: [{ prefix: '/admin/', dir: inject('adminBuild') }],
      gateways: createPaymentGateways(
        paymentGatewaysEnvSchema.parse({ ...gatewayEnv, SANDBOX_GATEWAY_URL: `${sandbox.url}/sandbox-gateway` }),
        { clock: systemClock },
      ),
      env: { PUBLIC_URL: base, ADMIN_URL: `${base}/admin/`, PORTAL_URL: base, HANDOVER_ENCRYPTION_KEYS: testKeys },
      bundleResellers: buildBundleResellerAccounts(
        { AT_ISHARE_API_URL: `${sandboxUrl}/at-ishare`, AT_ISHARE_API_KEY },
        'server',
      ),
    });
    // The sandbox gateway reports payments and refunds to this server, signed, as a real one would.
    await pointWebhooksAt(sandbox.url, base);
    for (const [role, email] of Object.entries(STAFF)) await createUser(db.orm, email, role as UserRole);
    chrome = await launchChromium({
      viewport: { width: 1600, height: 1000 },
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
    db,
    get sandbox() {
      return need(sandbox, 'the sandbox');
    },
    get worker() {
      return need(worker, 'the worker');
    },
    get browser() {
      return need(chrome?.context, 'the browser');
    },
    async signIn(role) {
      const context = need(chrome?.context, 'the browser');
      await context.clearCookies();
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${base}/admin/#/login`);
      await page.getByLabel(/^Email/).fill(STAFF[role]);
      await page.getByLabel(/^Password/).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // Finance lands on its reports, the others on the operations dashboard.
      await page.getByText(role === 'finance' ? 'Net revenue over time' : 'Fulfillment records by status').waitFor();
      return page;
    },
    async paidOrder(productId, input) {
      const { api } = apiClient(base, base);
      const started = await api.checkout.create.mutate({
        email: 'buyer@example.com',
        gateway: 'sandbox',
        items: [{ productId, ...(input ? { input } : {}) }],
      });
      const pressed = await clickGatewayButton(need(sandbox, 'the sandbox').url, started.redirectUrl, 'Pay');
      if (pressed.status >= 400) throw new Error(`the sandbox gateway's Pay button: ${pressed.status}`);
      let orderCode: string | null | undefined;
      await eventually(async () => {
        const status = await api.checkout.status.query({ pendingOrderId: started.pendingOrderId });
        orderCode = status.orderCode;
        return status.status === 'paid' && Boolean(orderCode);
      }, `checkout ${started.pendingOrderId} paid`);
      return db.orm.em.fork().findOneOrFail(Order, { orderCode: orderCode ?? '' });
    },
  };
}

/** Polls `probe` until it is true (the page does not refresh itself), or fails after `timeoutMs`. */
export async function eventually(probe: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}
