import { createSocket, type Socket } from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, relative } from 'node:path';
import { repoRoot } from '@handover/scripts/processes';
import { afterAll, describe, expect, it } from 'vitest';
import { type SandboxProcess, startSandboxProcess } from './support/sandboxProcess';

/** The ports `npm start` takes when they are free (scripts/dev.ts), which no test may need. */
const DEV_PORTS = { tcp: [4000, 4010, 4053, 2525, 5173, 5174, 54329], udp: [4053] };

/** The sandbox's entry as `startProcess` is given it (spelt in pieces so this file is not a match). */
const SANDBOX_ENTRY = `'${['apps', 'sandbox', 'src', 'main.ts'].join('/')}'`;

const holdTcp = (port: number) =>
  new Promise<Server | null>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
const holdUdp = (port: number) =>
  new Promise<Socket | null>((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(null));
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testSources(path);
    return /\.ts$/.test(entry.name) && /(^|\/)test\//.test(relative(repoRoot, path)) ? [path] : [];
  });
}

describe('tests and npm start on one machine', () => {
  const held: (Server | Socket)[] = [];
  let sandbox: SandboxProcess | undefined;
  afterAll(async () => {
    await sandbox?.process.stop();
    await Promise.all(held.map((h) => new Promise<void>((resolve) => h.close(() => resolve()))));
  });

  it("starts the test sandbox on free ports while every one of npm start's ports is taken", async () => {
    // Whatever is free is held here; whatever is not is held already (by a running `npm start`, say).
    for (const port of DEV_PORTS.tcp) {
      const server = await holdTcp(port);
      if (server) held.push(server);
    }
    for (const port of DEV_PORTS.udp) {
      const socket = await holdUdp(port);
      if (socket) held.push(socket);
    }
    sandbox = await startSandboxProcess();
    expect((await fetch(`${sandbox.url}/_control/healthz`)).status).toBe(200);
    expect([sandbox.dnsPort, sandbox.smtpPort]).not.toContain(4053);
    expect(sandbox.process.child.exitCode).toBeNull();
  });

  it('starts the sandbox process only through startSandboxProcess, which chooses each of its ports', () => {
    const starters = testSources(join(repoRoot, 'apps'))
      .concat(testSources(join(repoRoot, 'packages')), testSources(join(repoRoot, 'scripts')))
      .filter((file) => readFileSync(file, 'utf8').includes(SANDBOX_ENTRY))
      .map((file) => relative(repoRoot, file));
    expect(starters).toEqual(['apps/worker/test/support/sandboxProcess.ts']);
  });
});
