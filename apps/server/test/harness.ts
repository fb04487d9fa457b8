import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { AppRouter } from '@handover/api';
import type { UserRole } from '@handover/contracts';
import type {
  AnyFulfillmentAdapter,
  BillingSystem,
  BundleResellerAccount,
  Clock,
  FileStorage,
  OperatorSystem,
  PaymentGateways,
} from '@handover/core';
import { DriverRegistry, hashPassword, passwordCostFromLog2 } from '@handover/core';
import { type Orm, User } from '@handover/db';
import { manualAdapter, type SmsSender } from '@handover/integrations';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import superjson from 'superjson';
import { buildServer, type SpaBuild } from '../src/app';
import { loadServerConfig } from '../src/config';

export const PORTAL = 'http://portal.test:5173';
export const ADMIN = 'http://admin.test:5174';

export function testConfig(databaseUrl: string, env: Record<string, string> = {}) {
  return loadServerConfig({
    DATABASE_URL: databaseUrl,
    HANDOVER_ENCRYPTION_KEYS: `k1=${randomBytes(32).toString('base64')}`,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    PASSWORD_HASH_COST_LOG2: '10',
    PORTAL_URL: PORTAL,
    ADMIN_URL: `${ADMIN}/admin/`,
    ...env,
  });
}

/** The server on a real port, against the test database. */
export async function startServer(options: {
  orm: Orm;
  databaseUrl: string;
  clock: Clock;
  env?: Record<string, string>;
  registry?: DriverRegistry;
  /** Drivers for a registry built here, when no registry is given (the manual driver by default). */
  drivers?: AnyFulfillmentAdapter[];
  gateways?: PaymentGateways;
  /** A fixed port (the browser tests need the address before the server starts); a free one otherwise. */
  port?: number;
  spas?: SpaBuild[];
  /** The SMS provider whose delivery callbacks the server takes. */
  sms?: SmsSender;
  bundleResellers?: BundleResellerAccount[];
  /** Where download products' files are (seed 003); downloads answer 503 without it. */
  downloadStorage?: FileStorage;
  /** Seed 004's billing system (WHMCS in the sandbox). */
  billing?: BillingSystem;
  /** Seed 004's operator system (Salesforce-shaped, in the sandbox). */
  operatorSystem?: OperatorSystem;
  /** Where the server's log lines go (nowhere unless LOG_LEVEL is set in `env`). */
  logStream?: DestinationStream;
}): Promise<{ app: FastifyInstance; base: string; config: ReturnType<typeof testConfig> }> {
  const config = testConfig(options.databaseUrl, options.env);
  const app = await buildServer({
    config,
    orm: options.orm,
    clock: options.clock,
    registry: options.registry ?? new DriverRegistry(options.drivers ?? [manualAdapter]),
    gateways: options.gateways ?? {},
    spas: options.spas,
    sms: options.sms ?? null,
    bundleResellers: options.bundleResellers ?? [],
    downloadStorage: options.downloadStorage ?? null,
    billing: options.billing ?? null,
    operatorSystem: options.operatorSystem ?? null,
    logStream: options.logStream,
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, config };
}

/** A browser stand-in: a tRPC client that keeps the cookies the server sets, sent from the portal's origin. */
export function browser(base: string, origin = PORTAL) {
  const jar = new Map<string, string>();
  const cookieFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('origin', origin);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
  const api = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${base}/trpc`, transformer: superjson, fetch: cookieFetch })],
  });
  return { api, jar };
}

/** The tRPC error code a call failed with, e.g. `FORBIDDEN`. */
export async function errorOf(call: Promise<unknown>): Promise<{
  code: string;
  message: string;
  httpStatus: number;
  fieldErrors?: Record<string, string[]>;
}> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const data = error.data as { code: string; httpStatus: number; fieldErrors?: Record<string, string[]> | null };
      return {
        code: data.code,
        message: error.message,
        httpStatus: data.httpStatus,
        ...(data.fieldErrors ? { fieldErrors: data.fieldErrors } : {}),
      };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

export function manualClock(start = new Date()) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

export const TEST_PASSWORD = 'correct horse battery';

/** A user with `role`, their address confirmed, who can sign in with TEST_PASSWORD. */
export async function createUser(orm: Orm, email: string, role: UserRole): Promise<string> {
  const em = orm.em.fork();
  const user = em.create(User, {
    email,
    role,
    passwordHash: await hashPassword(TEST_PASSWORD, passwordCostFromLog2(10)),
    emailVerifiedAt: new Date(),
  });
  await em.flush();
  return user.id;
}

/** A browser stand-in signed in as `email`, calling from the back office's origin. */
export async function signedIn(base: string, email: string) {
  const b = browser(base, ADMIN);
  await b.api.auth.signIn.mutate({ email, password: TEST_PASSWORD });
  return b;
}

/** One account of each role (`<role>@example.com`), each signed in to the back office. */
export async function signedInAsEachRole(orm: Orm, base: string) {
  const opsId = await createUser(orm, 'ops@example.com', 'ops');
  await createUser(orm, 'finance@example.com', 'finance');
  await createUser(orm, 'admin@example.com', 'admin');
  await createUser(orm, 'customer@example.com', 'customer');
  return {
    opsId,
    ops: (await signedIn(base, 'ops@example.com')).api,
    finance: (await signedIn(base, 'finance@example.com')).api,
    admin: (await signedIn(base, 'admin@example.com')).api,
    customer: (await signedIn(base, 'customer@example.com')).api,
  };
}
