import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';

/**
 * Builds a browser app (its folder holds `vite.config.ts`) into a temporary folder, as
 * production would, for the server to serve in a test run. Returns the folder and its removal.
 */
export async function buildSpa(appDir: string, name: string): Promise<{ outDir: string; remove(): void }> {
  const outDir = mkdtempSync(join(tmpdir(), `handover-${name}-`));
  // The test runner sets NODE_ENV=test, which would make a development build (React's too).
  const runnerEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: appDir,
      configFile: join(appDir, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4096 },
    });
  } finally {
    process.env.NODE_ENV = runnerEnv;
  }
  return { outDir, remove: () => rmSync(outDir, { recursive: true, force: true }) };
}
