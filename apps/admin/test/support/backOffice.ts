import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriverRegistry, manualAdapter } from '@handover/core';
import type { UserRole } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { createTestkitAdapter, TestkitClient } from '@handover/integrations';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { createUser, startServer, TEST_PASSWORD } from '../../../server/test/harness';
import { type InProcessWorker, startInProcessWorker, testKeys } from '../../../worker/test/support/inProcessWorker';
import { startTestSandbox, type TestSandbox } from '../../../worker/test/support/sandbox';

/** Debian's Chromium, as the CI machine installs it. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const STAFF = {
  admin: 'admin@handover.test',
  ops: 'ops@handover.test',
  finance: 'finance@handover.test',
} as const;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface BackOfficeStack {
  readonly base: string;
  readonly db: ReturnType<typeof useTestDatabase>;
  readonly sandbox: TestSandbox;
  readonly worker: InProcessWorker;
  readonly browser: BrowserContext;
  /** A fresh tab signed in as `role`. */
  signIn(role: keyof typeof STAFF): Promise<Page>;
}

/**
 * Everything a back office journey needs, for one test file: a database of its own, the
 * sandbox, a real worker with the testkit and manual drivers, the server serving the built
 * back office at /admin/, the staff users, and one Chromium.
 */
export function useBackOfficeStack(): BackOfficeStack {
  const db = useTestDatabase({ poolMax: 10 });
  let base = '';
  let sandbox: TestSandbox | undefined;
  let worker: InProcessWorker | undefined;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let browser: BrowserContext | undefined;
  let userDataDir: string | undefined;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    const drivers = () => [
      manualAdapter,
      createTestkitAdapter(new TestkitClient({ baseUrl: sandbox?.testkitUrl ?? '' })),
    ];
    worker = await startInProcessWorker(db, drivers());
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock: { now: () => new Date() },
      registry: new DriverRegistry(drivers()),
      port,
      spas: [{ prefix: '/admin/', dir: inject('adminBuild') }],
      env: { PUBLIC_URL: base, ADMIN_URL: `${base}/admin/`, PORTAL_URL: base, HANDOVER_ENCRYPTION_KEYS: testKeys },
    });
    for (const [role, email] of Object.entries(STAFF)) await createUser(db.orm, email, role as UserRole);
    userDataDir = mkdtempSync(join(tmpdir(), 'handover-chromium-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1600, height: 1000 },
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await server?.app.close();
    await worker?.stop();
    await sandbox?.close();
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
      return need(browser, 'the browser');
    },
    async signIn(role) {
      const context = need(browser, 'the browser');
      await context.clearCookies();
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${base}/admin/#/login`);
      await page.getByLabel(/^Username/).fill(STAFF[role]);
      await page.getByLabel(/^Password/).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // Finance lands on its reports, the others on the operations dashboard.
      await page.getByText(role === 'finance' ? 'Net revenue over time' : 'Fulfillment records by status').waitFor();
      return page;
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
