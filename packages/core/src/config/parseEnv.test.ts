import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, envDatabaseUrl, envEncryptionKeys, parseEnv } from './parseEnv';

const schema = z.object({
  DATABASE_URL: envDatabaseUrl,
  PORT: z.coerce.number().int().min(1),
  HANDOVER_ENCRYPTION_KEYS: envEncryptionKeys,
});

describe('parseEnv', () => {
  it('names every missing or bad variable at once', () => {
    try {
      parseEnv('server', schema, { DATABASE_URL: 'mysql://x', PORT: 'eighty', HANDOVER_ENCRYPTION_KEYS: 'k=AAAA' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('server: invalid configuration');
      expect(message).toContain('DATABASE_URL: must be a postgres:// URL');
      expect(message).toMatch(/PORT: /);
      expect(message).toContain('HANDOVER_ENCRYPTION_KEYS: key "k" must decode to 32 bytes');
    }
  });

  it('says "is required" for a variable that is not set', () => {
    expect(() => parseEnv('worker', schema, { PORT: '1' })).toThrow(/DATABASE_URL is required/);
  });

  it('refuses an empty HANDOVER_ENCRYPTION_KEYS instead of starting without a key', () => {
    expect(() =>
      parseEnv('worker', schema, { DATABASE_URL: 'postgres://x/y', PORT: '1', HANDOVER_ENCRYPTION_KEYS: ' , ' }),
    ).toThrow(/HANDOVER_ENCRYPTION_KEYS: needs at least one key/);
  });
});
