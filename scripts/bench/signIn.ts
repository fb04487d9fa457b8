// `pnpm bench:sign-in`: a customer's sign-in latency on its own, then while a flood hits the
// server, as a ratio against sign-in alone. Two floods: password resets with made-up tokens (the
// attack the issue measured: 16 at once took a sign-in from 0.7 s to 6 s), and confirmation
// links that are genuine, each of which hashes a password (the most hashing anyone can cause).
// The server runs from its production entry at the production password cost, behind a trusted
// proxy the bench plays, so the flood comes from many addresses and per-IP limits do not hide it.
import { randomBytes, randomUUID } from 'node:crypto';
import { hashPassword, hashToken, linkSigningKeys, parseEncryptionKeys, signLinkToken } from '@handover/core';
import { openOrm } from '@handover/db';
import { choosePort } from '@handover/db/embedded';
import { createTestDatabase, startTestPostgres } from '@handover/db/testing';
import { z } from 'zod';
import { type ManagedProcess, startProcess, waitForHttp } from '../lib/processes';
import { type LoadRequest, runLoad } from './load';

const settings = z
  .object({
    /** Requests the flood keeps in flight. */
    BENCH_FLOOD: z.coerce.number().int().min(1).max(256).default(16),
    /** Sign-ins measured per phase, one after another. */
    BENCH_SIGN_INS: z.coerce.number().int().min(5).max(500).default(30),
    BENCH_COST_LOG2: z.coerce.number().int().min(10).max(20).default(17),
    /** The server's PASSWORD_HASH_CONCURRENCY (its default when not set). */
    BENCH_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  })
  .parse(process.env);

const PASSWORD = 'the customer password';
const EMAIL = 'customer@bench.test';
const keys = `bench=${randomBytes(32).toString('base64')}`;
const processes: ManagedProcess[] = [];

async function main(): Promise<void> {
  console.log('Starting an embedded PostgreSQL and migrating…');
  const postgres = await startTestPostgres();
  try {
    const database = await createTestDatabase(postgres.adminUrl);
    const port = await choosePort(0);
    const server = startProcess({
      name: 'server',
      entry: 'apps/server/src/main.ts',
      env: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        DATABASE_URL: database.url,
        HANDOVER_ENCRYPTION_KEYS: keys,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        PASSWORD_HASH_COST_LOG2: String(settings.BENCH_COST_LOG2),
        ...(settings.BENCH_HASH_CONCURRENCY
          ? { PASSWORD_HASH_CONCURRENCY: String(settings.BENCH_HASH_CONCURRENCY) }
          : {}),
        // The bench stands in for the proxy in front of the server, forwarding many clients.
        TRUSTED_PROXIES: '127.0.0.1',
        // Drivers every server starts with; never called here.
        PLUGSAAS_API_URL: 'http://127.0.0.1:9/plugsaas',
        PLUGSAAS_API_KEY: randomBytes(16).toString('hex'),
        AT_ISHARE_API_URL: 'http://127.0.0.1:9/at-ishare',
        AT_ISHARE_API_KEY: randomBytes(16).toString('hex'),
      },
    });
    processes.push(server);
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/healthz`, { process: server, ok: (status) => status === 200 || status === 503 });
    const links = await seed(database.url, settings.BENCH_FLOOD * 200);

    console.log(
      `Measuring ${settings.BENCH_SIGN_INS} sign-ins per phase, the floods ${settings.BENCH_FLOOD} requests deep…`,
    );
    await signIns(base, 3);
    const alone = await signIns(base, settings.BENCH_SIGN_INS);
    // The floor: the same flood of the cheapest request there is, which touches no database.
    const trivial = await underFlood(base, (i) => ({
      method: 'GET',
      path: '/livez',
      headers: clientHeaders(i),
      body: '',
    }));
    const resets = await underFlood(base, (i) => ({
      method: 'POST',
      path: '/trpc/auth.resetPassword',
      headers: clientHeaders(i),
      body: JSON.stringify({
        json: {
          token: `${randomBytes(32).toString('base64url')}.zzzzzz.${'A'.repeat(22)}`,
          password: 'a new password here',
        },
      }),
    }));
    let nextLink = 0;
    const confirmations = await underFlood(base, (i) => {
      const token = links[nextLink++];
      if (!token) return null;
      return {
        method: 'POST',
        path: '/trpc/auth.verifyEmail',
        headers: clientHeaders(i),
        body: JSON.stringify({ json: { token, password: 'the new owner password' } }),
      };
    });
    if (nextLink >= links.length) console.warn('ran out of confirmation links: the flood stopped early');

    const line = (label: string, ms: number[]) =>
      `${label}  p50 ${quantile(ms, 0.5).toFixed(0).padStart(6)} ms  p95 ${quantile(ms, 0.95).toFixed(0).padStart(6)} ms`;
    console.log(line('sign-in alone                         ', alone));
    console.log(`${line('sign-in under GET /livez (the floor)  ', trivial.signIns)}  (flood: ${trivial.flood})`);
    console.log(`${line('sign-in under made-up reset tokens    ', resets.signIns)}  (flood: ${resets.flood})`);
    console.log(
      `${line('sign-in under genuine links (hashing) ', confirmations.signIns)}  (flood: ${confirmations.flood})`,
    );
    console.log(
      `setup: password cost 2^${settings.BENCH_COST_LOG2}, hashes at once ${settings.BENCH_HASH_CONCURRENCY ?? 'the default (2)'}, ${settings.BENCH_FLOOD} flood requests in flight from rotating forwarded addresses, loopback`,
    );
    console.log(
      `ratio (GET /livez flood, p95): ${(quantile(trivial.signIns, 0.95) / quantile(alone, 0.95)).toFixed(2)}`,
    );
    console.log(`ratio (reset flood, p95): ${(quantile(resets.signIns, 0.95) / quantile(alone, 0.95)).toFixed(2)}`);
    console.log(
      `ratio (hashing flood, p95): ${(quantile(confirmations.signIns, 0.95) / quantile(alone, 0.95)).toFixed(2)}`,
    );
    await database.drop().catch(() => {});
  } finally {
    await Promise.allSettled(processes.map((p) => p.stop('SIGTERM', 5_000)));
    await postgres.stop();
  }
}

/** Each flood request as if from another client behind the proxy, so no per-IP limit stops the flood. */
function clientHeaders(i: number): Record<string, string> {
  return { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
}

/** The customer who signs in, and `count` unconfirmed accounts with a genuine confirmation link each. */
async function seed(url: string, count: number): Promise<string[]> {
  const orm = await openOrm({ url, poolMax: 2 });
  try {
    const em = orm.em.fork();
    const hash = await hashPassword(PASSWORD, { N: 2 ** settings.BENCH_COST_LOG2, r: 8, p: 1 });
    await em.execute(
      `insert into users (id, email, role, password_hash, email_verified_at) values (?, ?, 'customer', ?, now())`,
      [randomUUID(), EMAIL, hash],
    );
    const linkKeys = linkSigningKeys(parseEncryptionKeys(keys));
    const expiresAt = new Date(Date.now() + 3_600_000);
    const tokens = Array.from({ length: count }, () => signLinkToken(linkKeys, 'verify_email', expiresAt));
    await em.execute(
      `with t as (select value as token_hash, n from jsonb_array_elements_text(?::jsonb) with ordinality as a(value, n)),
            u as (insert into users (id, email, role)
                  select gen_random_uuid(), 'flood-' || n || '@bench.test', 'customer' from t returning id, email)
       insert into email_verification_tokens (id, user_id, token_hash, expires_at, created_at)
       select gen_random_uuid(), u.id, t.token_hash, ?, now() from u join t on u.email = 'flood-' || t.n || '@bench.test'`,
      [JSON.stringify(tokens.map(hashToken)), expiresAt],
    );
    return tokens;
  } finally {
    await orm.close();
  }
}

/** `count` sign-ins one after another, each one's latency in ms. */
async function signIns(base: string, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(`${base}/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.10' },
      body: JSON.stringify({ json: { email: EMAIL, password: PASSWORD } }),
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/** Sign-ins measured while `make` keeps the flood going, and how the flood's requests were answered. */
async function underFlood(base: string, make: (i: number) => LoadRequest | null) {
  let sent = 0;
  let stop = false;
  const flood = runLoad({
    base,
    concurrency: settings.BENCH_FLOOD,
    seconds: 600,
    next: () => (stop ? null : make(sent++)),
  });
  // The flood is up before the first sign-in.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  let measured: number[];
  try {
    measured = await signIns(base, settings.BENCH_SIGN_INS);
  } finally {
    stop = true;
  }
  const answered = await flood;
  return {
    signIns: measured,
    flood: `${answered.requests} requests in ${answered.seconds.toFixed(0)} s, ${answered.ok} answered 2xx, ${answered.failed} refused`,
  };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
