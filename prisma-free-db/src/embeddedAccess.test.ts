import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded';
import { folderOthersCannotEnter, PostgresUserCannotEnter } from './embeddedAccess';

describe('the folders the embedded PostgreSQL must reach when started as root', () => {
  const top = mkdtempSync(join(tmpdir(), 'handover-access-'));
  afterAll(() => rmSync(top, { recursive: true, force: true }));

  it('names the first folder other users cannot pass through, as /root is', () => {
    const home = join(top, 'root');
    mkdirSync(join(home, 'handover', 'node_modules'), { recursive: true });
    chmodSync(top, 0o755);
    chmodSync(home, 0o700);
    const paths = [join(home, 'handover', 'node_modules'), join(home, 'handover', '.data', 'postgres')];
    expect(folderOthersCannotEnter(paths)).toBe(home);
    chmodSync(home, 0o711);
    expect(folderOthersCannotEnter(paths)).toBeNull();
  });

  it('says what is wrong and how to fix it', () => {
    const message = new PostgresUserCannotEnter('/root').message;
    expect(message).toContain('cannot enter /root');
    expect(message).toContain('chmod o+x /root');
    expect(message).toContain('DATABASE_URL');
  });

  it.runIf(process.getuid?.() === 0)(
    'refuses at once, started as root with its data where others cannot enter',
    async () => {
      const home = join(top, 'private');
      mkdirSync(home, { mode: 0o700 });
      chmodSync(home, 0o700);
      await expect(
        startEmbeddedPostgres({ dataDir: join(home, '.data', 'postgres'), persistent: true }),
      ).rejects.toThrow(new PostgresUserCannotEnter(home).message);
    },
  );
});
