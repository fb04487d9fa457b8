// `pnpm bench:export`: the revenue-detail report of about 1,000,000 rows downloaded as CSV and as
// XLSX through GET /reports/revenue.csv|xlsx of a server process started from its production
// entry, beside `COPY (the same query) TO STDOUT` in the same run as the limit; the finance
// landing page's summaries of the same year and of one month; and the server's peak resident memory. Loopback only; an embedded PostgreSQL of its own.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hashPassword, inlineParams, passwordCostFromLog2, revenueDetailQuery } from '@handover/core';
import { choosePort } from '@handover/db/embedded';
import { createTestDatabase, startTestPostgres } from '@handover/db/testing';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { z } from 'zod';
import { type ManagedProcess, startProcess, waitForHttp } from '../lib/processes';
import { fillScaleData } from '../lib/scaleData';

const settings = z
  .object({
    /** About 1.15 revenue-detail rows per order (a tenth have two items, a twentieth a refund). */
    BENCH_ORDERS: z.coerce.number().int().min(1000).max(5_000_000).default(870_000),
    BENCH_LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info']).default('warn'),
    /** e.g. `--max-old-space-size=96`, to show the server works within a fixed heap. */
    BENCH_SERVER_NODE_OPTIONS: z.string().optional(),
  })
  .parse(process.env);

const END = new Date('2026-11-21T00:00:00Z');
const FILTER = { from: '2025-11-01', to: '2026-11-30', timeZone: 'UTC' };
const PASSWORD = randomBytes(12).toString('base64url');

async function main(): Promise<void> {
  console.log('Starting an embedded PostgreSQL and migrating…');
  const postgres = await startTestPostgres();
  let server: ManagedProcess | null = null;
  try {
    const database = await createTestDatabase(postgres.adminUrl);
    const started = performance.now();
    await fillScaleData(database.url, {
      orders: settings.BENCH_ORDERS,
      logs: 1000,
      days: 365,
      end: END,
      onProgress: (message) => process.stdout.write(`\r  filling: ${message}          `),
    });
    console.log(`\nfilled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await createFinanceUser(database.url);

    const port = await choosePort(0);
    const base = `http://127.0.0.1:${port}`;
    server = startProcess({
      name: 'server',
      entry: 'apps/server/src/main.ts',
      env: {
        LOG_LEVEL: settings.BENCH_LOG_LEVEL,
        NODE_ENV: 'production',
        ...(settings.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: settings.BENCH_SERVER_NODE_OPTIONS } : {}),
        PORT: String(port),
        DATABASE_URL: database.url,
        HANDOVER_ENCRYPTION_KEYS: `bench=${randomBytes(32).toString('base64')}`,
        PUBLIC_URL: base,
        // Never called: the bench only downloads reports.
        PLUGSAAS_API_URL: 'http://127.0.0.1:9/plugsaas',
        PLUGSAAS_API_KEY: randomBytes(16).toString('hex'),
        AT_ISHARE_API_URL: 'http://127.0.0.1:9/at-ishare',
        AT_ISHARE_API_KEY: randomBytes(16).toString('hex'),
        ESIMACCESS_API_URL: 'http://127.0.0.1:9/esimaccess',
        ESIMACCESS_ACCESS_CODE: 'not-used-in-the-bench',
        ESIMACCESS_SECRET_KEY: 'not-used-in-the-bench',
        // Required by the saas-singletenant, license and download drivers; never reached here.
        INSTANCE_PROVISIONING_API_URL: 'http://127.0.0.1:9/instance-provisioning',
        INSTANCE_PROVISIONING_API_KEY: randomBytes(16).toString('hex'),
        DOWNLOADS_DIR: '/nonexistent/handover-downloads',
        WHMCS_API_URL: 'http://127.0.0.1:9/whmcs',
        WHMCS_API_IDENTIFIER: 'not-used-in-the-bench',
        WHMCS_API_SECRET: 'not-used-in-the-bench',
        WHMCS_CUSTOMER_NUMBER_FIELD_ID: '1',
      },
    });
    await waitForHttp(`${base}/livez`, { process: server });
    const cookie = await signIn(base);
    const pid = server.child.pid;
    if (!pid) throw new Error('the server has no pid');

    const query = `from=${FILTER.from}&to=${FILTER.to}&tz=${FILTER.timeZone}`;
    const idleMb = peakRssMb(pid);
    const csv = await download(`${base}/reports/revenue.csv?${query}`, cookie);
    const afterCsvMb = peakRssMb(pid);
    const xlsx = await download(`${base}/reports/revenue.xlsx?${query}`, cookie);
    const copy = await copyOut(database.url);
    const rows = csv.lines - 1;
    if (copy.lines !== rows) throw new Error(`COPY gave ${copy.lines} rows, the CSV ${rows}`);

    // The finance landing page: every summary of a range at once (reports.overview).
    const yearOverview = await timeOverview(base, cookie, FILTER);
    const monthOverview = await timeOverview(base, cookie, { ...FILTER, from: '2026-10-01', to: '2026-10-31' });

    const perSecond = (ms: number) => rows / (ms / 1000);
    console.log(`rows: ${rows} (revenue detail, ${FILTER.from} to ${FILTER.to})`);
    console.log(`csv:  ${(csv.bytes / 1e6).toFixed(1)} MB in ${(csv.ms / 1000).toFixed(2)} s`);
    console.log(`xlsx: ${(xlsx.bytes / 1e6).toFixed(1)} MB in ${(xlsx.ms / 1000).toFixed(2)} s`);
    console.log(`copy: ${(copy.bytes / 1e6).toFixed(1)} MB in ${(copy.ms / 1000).toFixed(2)} s`);
    console.log(`csv_rows_per_s: ${perSecond(csv.ms).toFixed(0)}`);
    console.log(`xlsx_rows_per_s: ${perSecond(xlsx.ms).toFixed(0)}`);
    console.log(`copy_rows_per_s: ${perSecond(copy.ms).toFixed(0)}`);
    console.log(
      `overview (landing page), ${FILTER.from} to ${FILTER.to}: p50 ${yearOverview.p50.toFixed(0)} ms, max ${yearOverview.max.toFixed(0)} ms`,
    );
    console.log(
      `overview (landing page), one month: p50 ${monthOverview.p50.toFixed(0)} ms, max ${monthOverview.max.toFixed(0)} ms`,
    );
    console.log(`server peak RSS: ${idleMb.toFixed(0)} MB started, ${afterCsvMb.toFixed(0)} MB after the CSV`);
    console.log(`peak_rss_mb: ${peakRssMb(pid).toFixed(0)}`);
    console.log(`ratio: ${(copy.ms / csv.ms).toFixed(3)}`);
    await server.stop('SIGTERM', 10_000);
    server = null;
    await database.drop().catch(() => {});
  } finally {
    await server?.stop('SIGTERM', 5_000);
    await postgres.stop();
  }
}

async function createFinanceUser(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const hash = await hashPassword(PASSWORD, passwordCostFromLog2(10));
    await client.query(`insert into users (email, role, password_hash) values ('finance@bench.test', 'finance', $1)`, [
      hash,
    ]);
  } finally {
    await client.end();
  }
}

/** Signs in through tRPC as the back office does, and returns the session cookie. */
async function signIn(base: string): Promise<string> {
  const response = await fetch(`${base}/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ json: { email: 'finance@bench.test', password: PASSWORD } }),
  });
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
  if (!response.ok || !cookie) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return cookie;
}

/** reports.overview through tRPC as the back office calls it: one warm-up, then five timed calls. */
async function timeOverview(base: string, cookie: string, filter: { from: string; to: string; timeZone: string }) {
  const url = `${base}/trpc/reports.overview?input=${encodeURIComponent(JSON.stringify({ json: filter }))}`;
  const times: number[] = [];
  for (let run = 0; run < 6; run++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    const body = await response.text();
    if (!response.ok) throw new Error(`reports.overview: ${response.status} ${body}`);
    if (run > 0) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)] ?? 0, max: times.at(-1) ?? 0 };
}

/** Reads the whole download, counting its bytes and lines. */
async function download(url: string, cookie: string) {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie } });
  if (!response.ok || !response.body) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body) {
    bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
  }
  return { ms: performance.now() - started, bytes, lines };
}

/** The same rows straight out of PostgreSQL as CSV: what the database alone can do. */
async function copyOut(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const inlined = inlineParams(revenueDetailQuery(FILTER), (text) => client.escapeLiteral(text));
    const started = performance.now();
    const stream = client.query(copyTo(`copy (${inlined}) to stdout with (format csv)`));
    let bytes = 0;
    let lines = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
    }
    return { ms: performance.now() - started, bytes, lines };
  } finally {
    await client.end();
  }
}

/** The process's peak resident set (VmHWM), from /proc. */
function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
