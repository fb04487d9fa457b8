import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDevSecrets } from '../lib/devSecrets';

describe('loadDevSecrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dev-secrets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes every secret on first start and keeps them, readable by the owner only', () => {
    const file = join(dir, 'first', 'dev-secrets.json');
    const made = loadDevSecrets(file);
    expect(made.encryptionKeys).toMatch(/^dev1=[A-Za-z0-9+/]{43}=$/);
    expect(made.plugsaasApiKey.length).toBeGreaterThanOrEqual(16);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadDevSecrets(file)).toEqual(made);
  });

  it('adds a secret missing from an older file without changing the ones it had', () => {
    const file = join(dir, 'older.json');
    writeFileSync(file, JSON.stringify({ encryptionKeys: 'dev1=kept' }));
    const loaded = loadDevSecrets(file);
    expect(loaded.encryptionKeys).toBe('dev1=kept');
    expect(loaded.plugsaasApiKey).toBeTruthy();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(loaded);
  });
});
