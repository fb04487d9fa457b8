#!/usr/bin/env node
// The entry behind `npm start` and `npm test` on a machine that has only Node and npm:
// finds (or installs, locally under .tools/) the pnpm version named in package.json,
// installs the workspace when needed, then runs the real script through pnpm.
// Plain Node on purpose: nothing is installed yet when this runs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const wanted = String(manifest.packageManager ?? '').replace(/^pnpm@/, '');
const targets = { dev: 'dev:run', test: 'test:run' };

const [command, ...rest] = process.argv.slice(2);
if (!(command in targets)) {
  console.error(`usage: node scripts/bootstrap.mjs <${Object.keys(targets).join('|')}> [args]`);
  process.exit(2);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Handover needs Node >= 20.19; this is ${process.version}.`);
  process.exit(1);
}

const localBin = join(root, '.tools', 'pnpm', 'node_modules', '.bin');
const env = { ...process.env, PATH: `${localBin}${delimiter}${process.env.PATH ?? ''}` };

function pnpmVersion() {
  const r = spawnSync('pnpm', ['--version'], { env, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function ensurePnpm() {
  const found = pnpmVersion();
  if (found && found.split('.')[0] === wanted.split('.')[0]) return;
  console.log(`[handover] installing pnpm ${wanted} under .tools/ (found: ${found ?? 'none'})`);
  const r = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      join(root, '.tools', 'pnpm'),
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `pnpm@${wanted}`,
    ],
    { stdio: 'inherit', env },
  );
  if (r.status !== 0 || !pnpmVersion()) {
    console.error('[handover] could not install pnpm with npm; install pnpm 10 and run again.');
    process.exit(1);
  }
}

function needsInstall() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  if (!existsSync(marker)) return true;
  const lock = join(root, 'pnpm-lock.yaml');
  return existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs;
}

ensurePnpm();
if (needsInstall()) {
  console.log('[handover] installing dependencies');
  const frozen = existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
  const r = spawnSync('pnpm', ['install', ...frozen], { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const child = spawn('pnpm', ['run', '--silent', targets[command], ...rest], { cwd: root, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
