import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Everything the process printed so far. */
  output(): string;
  /** Sends `signal` and waits; SIGKILLs after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
  kill(): Promise<number | null>;
}

export interface StartProcessOptions {
  name: string;
  /** A TypeScript entry file, relative to the repository root. */
  entry: string;
  env?: Record<string, string | undefined>;
  args?: string[];
  /** Options for Node itself (`--cpu-prof`, say). */
  nodeArgs?: string[];
  /** Called with each line the process prints (stdout and stderr). */
  onLine?: (line: string) => void;
}

/** Runs a TypeScript entry as one real Node process (no wrapper, so signals reach it). */
export function startProcess(options: StartProcessOptions): ManagedProcess {
  const nodeArgs = [...(options.nodeArgs ?? []), '--import', 'tsx', join(repoRoot, options.entry)];
  const child = spawn(process.execPath, [...nodeArgs, ...(options.args ?? [])], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let partial = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output += text;
    if (!options.onLine) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onLine(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return { name: options.name, child, exited, output: () => output, stop, kill: () => stop('SIGKILL', 0) };
}

/** Polls `url` until it answers with a status `ok` accepts, or throws after `timeoutMs`. */
export async function waitForHttp(
  url: string,
  {
    timeoutMs = 60_000,
    ok = (status: number) => status < 500,
    process,
  }: {
    timeoutMs?: number;
    ok?: (status: number) => boolean;
    process?: ManagedProcess;
  } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (process && process.child.exitCode !== null) {
      throw new Error(
        `${process.name} exited with ${process.child.exitCode} before ${url} answered:\n${process.output()}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (ok(res.status)) return;
      last = `status ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})${process ? `\n${process.output()}` : ''}`);
}
