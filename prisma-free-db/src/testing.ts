import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded';
import { migrate } from './orm';

const TEMPLATE = 'handover_template';

export interface TestPostgres {
  /** URL of the server's maintenance database, used to create and drop test databases. */
  adminUrl: string;
  template: string;
  stop(): Promise<void>;
}

/**
 * Starts a throwaway PostgreSQL (or uses TEST_DATABASE_URL's server) and prepares a migrated
 * template database that each test database is copied from.
 */
export async function startTestPostgres(serverUrl?: string): Promise<TestPostgres> {
  if (serverUrl) {
    const adminUrl = withDatabase(serverUrl, 'postgres');
    await prepareTemplate(adminUrl);
    return { adminUrl, template: TEMPLATE, stop: async () => {} };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'handover-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, persistent: false });
  const stop = async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const adminUrl = server.url('postgres');
  try {
    await prepareTemplate(adminUrl);
  } catch (error) {
    await stop();
    throw error;
  }
  return { adminUrl, template: TEMPLATE, stop };
}

export interface RestartablePostgres {
  /** A migrated database on a server of the test's own. */
  url: string;
  adminUrl: string;
  /** Stops the server (a fast shutdown: every session ended) and keeps its data. */
  halt(): Promise<void>;
  /** Starts it again on the same port. */
  resume(): Promise<void>;
  /** Halts, waits `downMs`, resumes: what a restart or a failover looks like to its clients. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL server for one test file that the test may stop and start again, with one
 * migrated database. Always embedded: a shared server cannot be restarted under other tests.
 */
export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), 'handover-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, persistent: false });
  const stop = async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await server.ensureDatabase('handover');
    await migrate(server.url('handover'));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: server.url('handover'),
    adminUrl: server.url('postgres'),
    halt: () => server.halt(),
    resume: () => server.resume(),
    restart: async (downMs = 0) => {
      await server.halt();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await server.resume();
    },
    stop,
  };
}

async function prepareTemplate(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query(`drop database if exists ${TEMPLATE} with (force)`);
    await client.query(`create database ${TEMPLATE}`);
  });
  await migrate(withDatabase(adminUrl, TEMPLATE));
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(adminUrl: string, template = TEMPLATE): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`create database ${name} template ${template}`));
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () =>
      withClient(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
