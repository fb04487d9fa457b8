import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from './secrets';

/** A column holding SecretBox ciphertext. */
export interface EncryptedColumn {
  table: string;
  column: string;
  /** The table's primary key column. */
  key: string;
}

/**
 * Every column encrypted at rest. A table that stores a secret (platform credentials,
 * registrar API keys, mailbox passwords, webhook signing secrets) adds its line here, and `pnpm secrets:rotate`
 * re-encrypts it with the others.
 */
export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: 'inventory_items', column: 'secret_encrypted', key: 'id' },
  { table: 'platform_credentials', column: 'credentials_encrypted', key: 'id' },
  { table: 'order_emails', column: 'password_encrypted', key: 'id' },
  { table: 'webhook_endpoints', column: 'secret_encrypted', key: 'id' },
  { table: 'webhook_endpoints', column: 'previous_secret_encrypted', key: 'id' },
  { table: 'esim_profiles', column: 'activation_code_encrypted', key: 'id' },
  { table: 'esim_profiles', column: 'qr_code_encrypted', key: 'id' },
  { table: 'key_ring_entries', column: 'secret_encrypted', key: 'id' },
  { table: 'dedicated_instances', column: 'admin_password_encrypted', key: 'id' },
  { table: 'licenses', column: 'key_encrypted', key: 'id' },
];

export interface RotationResult {
  table: string;
  column: string;
  /** Rows re-encrypted under the active key. */
  rotated: number;
}

const BATCH = 200;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Re-encrypts every value not under the active key, in batches of short transactions, so it
 * can run while the system serves. Old keys may be removed from HANDOVER_ENCRYPTION_KEYS after it.
 */
export async function rotateEncryptedColumns(
  em: EntityManager,
  box: SecretBox,
  columns: readonly EncryptedColumn[] = ENCRYPTED_COLUMNS,
): Promise<RotationResult[]> {
  const results: RotationResult[] = [];
  for (const target of columns) {
    for (const name of [target.table, target.column, target.key]) {
      if (!IDENTIFIER.test(name)) throw new Error(`Not a plain SQL identifier: "${name}"`);
    }
    const activePrefix = `v1.${box.activeKeyId}.`;
    let rotated = 0;
    for (;;) {
      const done = await em.transactional(async (tem) => {
        const rows = await tem.execute<{ key: string; sealed: string }[]>(
          `select ${target.key} as key, ${target.column} as sealed from ${target.table}
            where ${target.column} is not null and left(${target.column}, ?) <> ?
            limit ? for update skip locked`,
          [activePrefix.length, activePrefix, BATCH],
        );
        for (const row of rows) {
          await tem.execute(`update ${target.table} set ${target.column} = ? where ${target.key} = ?`, [
            box.encrypt(box.decrypt(row.sealed)),
            row.key,
          ]);
        }
        rotated += rows.length;
        return rows.length < BATCH;
      });
      if (done) break;
    }
    results.push({ table: target.table, column: target.column, rotated });
  }
  return results;
}
