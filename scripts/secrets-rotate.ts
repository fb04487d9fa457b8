// `pnpm secrets:rotate`: re-encrypts every secret at rest with the first key of
// HANDOVER_ENCRYPTION_KEYS. Add the new key in front, run this, then drop the old key.
import {
  ConfigError,
  ENCRYPTED_COLUMNS,
  envDatabaseUrl,
  envEncryptionKeys,
  parseEnv,
  rotateEncryptedColumns,
  SecretBox,
} from '@handover/core';
import { migrate, openOrm } from '@handover/db';
import { z } from 'zod';

const envSchema = z.object({ DATABASE_URL: envDatabaseUrl, HANDOVER_ENCRYPTION_KEYS: envEncryptionKeys });

async function main(): Promise<void> {
  const env = parseEnv('secrets:rotate', envSchema, process.env);
  const box = new SecretBox(env.HANDOVER_ENCRYPTION_KEYS);
  await migrate(env.DATABASE_URL);
  const orm = await openOrm({ url: env.DATABASE_URL, poolMax: 2 });
  try {
    console.log(`Re-encrypting with key "${box.activeKeyId}"…`);
    for (const result of await rotateEncryptedColumns(orm.em.fork(), box, ENCRYPTED_COLUMNS)) {
      console.log(`  ${result.table}.${result.column}: ${result.rotated} re-encrypted`);
    }
    console.log('Done. Keys other than the first may now be removed from HANDOVER_ENCRYPTION_KEYS.');
  } finally {
    await orm.close();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : `secrets:rotate: ${(error as Error).message}`);
  process.exit(1);
});
