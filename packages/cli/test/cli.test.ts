import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiTokenScope } from '@handover/contracts';
import { systemClock } from '@handover/core';
import { FulfillmentRecord, InventoryItem, InventoryPool, Order, OrderItem, Product, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signedIn, startServer } from '../../../apps/server/test/harness';

const bin = fileURLToPath(new URL('../bin/handover.mjs', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: () => unknown;
}

describe('the handover CLI, run as a process', () => {
  const db = useTestDatabase();
  const configDir = mkdtempSync(join(tmpdir(), 'handover-cli-'));
  const workDir = mkdtempSync(join(tmpdir(), 'handover-cli-work-'));
  let app: FastifyInstance;
  let base: string;
  const tokens: Record<string, string> = {};

  /** `handover <args>`, in its own process, with no terminal: as a script runs it. */
  const handover = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [bin, ...args],
        { cwd: workDir, env: { ...process.env, HANDOVER_CONFIG_DIR: configDir, INIT_CWD: workDir }, timeout: 60_000 },
        (error, stdout, stderr) => {
          const code = error ? ((error as { code?: number }).code ?? 1) : 0;
          resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr, json: () => JSON.parse(stdout) });
        },
      );
    });

  beforeAll(async () => {
    ({ app, base } = await startServer({ orm: db.orm, databaseUrl: db.url, clock: systemClock }));
    for (const role of ['ops', 'finance', 'admin'] as const) await createUser(db.orm, `${role}@example.com`, role);
    const make = async (role: string, name: string, scopes: ApiTokenScope[]) => {
      const api = (await signedIn(base, `${role}@example.com`)).api;
      tokens[name] = (await api.apiTokens.create.mutate({ name, scopes, expiresInDays: 1 })).token;
    };
    await make('ops', 'operator', ['orders:read', 'fulfillment:operate']);
    await make('ops', 'reader', ['orders:read']);
    await make('finance', 'books', ['reports:finance']);
    await make('admin', 'admin', ['admin']);

    const em = db.orm.em.fork();
    const product = em.create(Product, {
      slug: 'setup',
      name: 'Setup',
      priceMinor: 1000,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { slaHours: 4, instructions: 'Do it.' },
    });
    const user = em.create(User, { email: 'buyer@example.com' });
    for (let i = 0; i < 12; i += 1) {
      const order = em.create(Order, {
        orderCode: `HO-C${String(i).padStart(7, '0')}`,
        user,
        email: user.email,
        amountMinor: 1000,
        currency: 'USD',
      });
      const item = em.create(OrderItem, {
        order,
        product,
        productName: 'Setup',
        driver: 'manual',
        unitPriceMinor: 1000,
        currency: 'USD',
        input: {},
      });
      em.create(FulfillmentRecord, {
        order,
        orderItem: item,
        product,
        driver: 'manual',
        position: 0,
        status: i === 11 ? 'completed' : 'failed',
        subject: `job-${i}`,
        payloadSnapshot: {},
        lastError: i === 11 ? null : 'Provider answered 503',
      });
    }
    em.create(InventoryPool, { slug: 'microsoft-365', name: 'Microsoft 365 accounts' });
    await em.flush();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(configDir, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
  });

  it('logs in with a token, keeping it in the config folder readable by its owner only', async () => {
    const login = await handover('login', '--url', base, '--token', tokens.operator ?? '', '--json');
    expect(login.code).toBe(0);
    expect(login.json()).toMatchObject({
      email: 'ops@example.com',
      role: 'ops',
      scopes: ['orders:read', 'fulfillment:operate'],
    });
    const file = join(configDir, 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ url: base, token: tokens.operator });
    const who = await handover('whoami');
    expect(who.stdout).toMatch(/email\s+ops@example\.com/);
  });

  it('lists orders and records as tables, and as JSON for scripts', async () => {
    const table = await handover('orders', 'list');
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^orderCode\s+status\s+fulfillmentStatus/);
    expect(table.stdout).toContain('HO-C0000011');
    const orders = (await handover('orders', 'list', '--json', '--limit', '5')).json() as { orderCode: string }[];
    expect(orders).toHaveLength(5);
    const failed = await handover('records', 'list', '--status', 'failed', '--driver', 'manual', '--json');
    expect(failed.code).toBe(0);
    expect((failed.json() as unknown[]).length).toBe(11);
    const shown = await handover('orders', 'show', 'HO-C0000003');
    expect(shown.stdout).toMatch(/orderCode\s+HO-C0000003/);
  });

  it('asks before retrying more than ten records, retries them with --yes, and says which could not be', async () => {
    const unconfirmed = await handover('records', 'retry', '--status', 'failed', '--driver', 'manual');
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/Retry 11 records\? Add --yes/);
    expect(await db.orm.em.fork().count(FulfillmentRecord, { status: 'failed' })).toBe(11);

    const retried = await handover('records', 'retry', '--status', 'failed', '--driver', 'manual', '--yes', '--json');
    expect(retried.code).toBe(0);
    expect((retried.json() as { ok: boolean }[]).filter((r) => r.ok)).toHaveLength(11);
    expect(await db.orm.em.fork().count(FulfillmentRecord, { status: 'queued' })).toBe(11);

    const done = await db.orm.em.fork().findOneOrFail(FulfillmentRecord, { status: 'completed' });
    const refused = await handover('records', 'retry', done.id);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/false/);
  });

  it('downloads a report with --json, to a file, as XLSX', async () => {
    expect((await handover('login', '--url', base, '--token', tokens.books ?? '')).code).toBe(0);
    const run = await handover(
      'reports',
      'download',
      'revenue',
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-30',
      '--format',
      'xlsx',
      '--json',
    );
    expect(run.code).toBe(0);
    const saved = run.json() as { file: string; bytes: number };
    expect(saved.file).toBe(join(workDir, 'revenue_2026-11-01_2026-11-30.xlsx'));
    expect(readFileSync(saved.file).subarray(0, 2).toString()).toBe('PK');
    expect(statSync(saved.file).size).toBe(saved.bytes);
    const bad = await handover('reports', 'download', 'revenue', '--from', 'someday', '--to', '2026-11-30');
    expect(bad.code).toBe(6);
    expect(bad.stderr).toMatch(/from:/);
  });

  it('exits with a code that says why: no scope, a refused token, not found', async () => {
    expect((await handover('login', '--url', base, '--token', tokens.reader ?? '')).code).toBe(0);
    const record = await db.orm.em.fork().findOneOrFail(FulfillmentRecord, { status: 'queued' });
    const forbidden = await handover('records', 'retry', record.id);
    expect(forbidden.code).toBe(4);
    expect(forbidden.stderr).toMatch(/does not have the fulfillment:operate scope/);
    expect((await handover('orders', 'show', 'HO-ZZZZZZZZ')).code).toBe(5);
    const refused = await handover('login', '--url', base, '--token', 'hov_pat_not-a-real-token');
    expect(refused.code).toBe(3);
    expect((await handover('no-such-command')).code).toBe(2);
  });

  it('exports products and imports them back, checked, with a dry run first', async () => {
    expect((await handover('login', '--url', base, '--token', tokens.admin ?? '')).code).toBe(0);
    const file = join(workDir, 'products.json');
    expect((await handover('products', 'export', '--output', 'products.json')).code).toBe(0);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
    expect(exported.map((p) => p.slug)).toEqual(['setup']);
    writeFileSync(
      file,
      JSON.stringify([
        { ...exported[0], name: 'Setup, renamed' },
        { ...exported[0], slug: 'setup-two' },
      ]),
    );

    const dry = await handover('products', 'import', 'products.json', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(dry.json()).toMatchObject({ dryRun: true, saved: false, created: ['setup-two'], updated: ['setup'] });
    expect(await db.orm.em.fork().count(Product, {})).toBe(1);
    const real = await handover('products', 'import', 'products.json');
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/Imported: 1 created, 1 updated/);
    expect((await db.orm.em.fork().findOneOrFail(Product, { slug: 'setup' })).name).toBe('Setup, renamed');

    writeFileSync(file, JSON.stringify([{ ...exported[0], priceMinor: -5 }]));
    const invalid = await handover('products', 'import', 'products.json');
    expect(invalid.code).toBe(6);
    expect(invalid.stdout).toMatch(/priceMinor/);
  });

  it('imports inventory from a CSV, previewing first', async () => {
    writeFileSync(
      join(workDir, 'accounts.csv'),
      'email,password,notes\na1@tenant.example,Secret-1!,\na2@tenant.example,Secret-2!,\n',
    );
    const preview = await handover(
      'inventory',
      'import',
      'accounts.csv',
      '--pool',
      'microsoft-365',
      '--dry-run',
      '--json',
    );
    expect(preview.code).toBe(0);
    expect(preview.json()).toMatchObject({ preview: true, imported: 2 });
    expect(await db.orm.em.fork().count(InventoryItem, {})).toBe(0);
    const real = await handover('inventory', 'import', 'accounts.csv', '--pool', 'microsoft-365');
    expect(real.code).toBe(0);
    expect(await db.orm.em.fork().count(InventoryItem, {})).toBe(2);
  });

  it('tails the fulfillment logs with the back office filters', async () => {
    const tail = await handover('logs', 'tail', '--driver', 'manual', '--lines', '5', '--json');
    expect(tail.code).toBe(0);
    const lines = tail.json() as { driver: string }[];
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.driver === 'manual')).toBe(true);
  });
});
