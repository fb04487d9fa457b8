import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@handover/db/embedded';

/** Runs `work` against an empty database on a throwaway embedded server. */
export async function withScratchDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'handover-scratch-'));
  const server = await startEmbeddedPostgres({ dataDir, persistent: false });
  try {
    await server.ensureDatabase('scratch');
    return await work(server.url('scratch'));
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
