import type { ActorType } from '@handover/contracts';
import { ActivityLog, InventoryPool } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../errors';
import { addJob, jobSpec } from '../jobs/addJob';
import type { SecretBox } from '../security/secrets';
import {
  type InventoryCsvInput,
  type InventoryCsvProblem,
  type InventoryCsvRow,
  readInventoryCsv,
} from './inventoryCsv';

export interface SkippedDuplicate {
  line: number;
  email: string;
  reason: 'already in pool' | 'repeated in file';
}

export interface InventoryImportResult {
  pool: { id: string; slug: string };
  /** True when nothing was written (preview). */
  preview: boolean;
  /** Accounts added (or, in a preview, that would be); 0 whenever there are errors. */
  imported: number;
  skippedDuplicates: SkippedDuplicate[];
  /** Rows that stop the import; any error means nothing was imported. */
  errors: InventoryCsvProblem[];
}

export interface InventoryImportOptions {
  poolSlug: string;
  /** Encrypts the passwords: they are stored only sealed (InventoryItem.secretEncrypted). */
  box: SecretBox;
  /** Validate and report, writing nothing (the back office shows this before importing). */
  preview?: boolean;
  actor?: { type: ActorType; id?: string };
}

/** Rows checked against the pool and written together, so a large file never sits in memory. */
const BATCH_SIZE = 500;

/** Ends the transaction without keeping anything, carrying the report out. */
class RollBack extends Error {
  constructor(readonly result: InventoryImportResult) {
    super('inventory import rolled back');
  }
}

/**
 * Seed 000 "How You Add Microsoft Accounts": loads an `email,password,notes` CSV into a pool
 * as `available` accounts. All or nothing: one bad row (reported with its line) and no row is
 * imported. Accounts already in the pool or repeated in the file are skipped and reported,
 * not errors. A successful import that added accounts enqueues `inventory_restocked` in the
 * same transaction, which wakes the records waiting for an account (seed 000: "System queues
 * orders ... You add more accounts").
 */
export async function importInventoryCsv(
  em: EntityManager,
  input: InventoryCsvInput,
  options: InventoryImportOptions,
): Promise<InventoryImportResult> {
  const pool = await em.findOne(InventoryPool, { slug: options.poolSlug });
  if (!pool) throw new NotFoundError(`There is no inventory pool "${options.poolSlug}"`);
  const preview = options.preview ?? false;

  try {
    return await em.transactional(async (tem) => {
      const result = await loadRows(tem, input, { poolId: pool.id, box: options.box, write: !preview });
      const report: InventoryImportResult = {
        pool: { id: pool.id, slug: pool.slug },
        preview,
        imported: result.errors.length > 0 ? 0 : result.imported,
        skippedDuplicates: result.skippedDuplicates.sort((a, b) => a.line - b.line),
        errors: result.errors,
      };
      if (preview || report.errors.length > 0) throw new RollBack(report);
      if (report.imported > 0) {
        await addJob(tem, jobSpec('inventory_restocked', { poolId: pool.id }));
      }
      tem.create(ActivityLog, {
        action: 'inventory.imported',
        description: `Imported ${report.imported} account(s) from CSV; ${report.skippedDuplicates.length} duplicate(s) skipped`,
        subjectType: 'inventory_pool',
        subjectId: pool.id,
        actorType: options.actor?.type ?? 'system',
        actorId: options.actor?.id ?? null,
        properties: { imported: report.imported, skippedDuplicates: report.skippedDuplicates.length },
      });
      return report;
    });
  } catch (error) {
    if (error instanceof RollBack) return error.result;
    throw error;
  }
}

interface LoadResult {
  imported: number;
  skippedDuplicates: SkippedDuplicate[];
  errors: InventoryCsvProblem[];
}

async function loadRows(
  em: EntityManager,
  input: InventoryCsvInput,
  target: { poolId: string; box: SecretBox; write: boolean },
): Promise<LoadResult> {
  const result: LoadResult = { imported: 0, skippedDuplicates: [], errors: [] };
  const seen = new Set<string>();
  let batch: InventoryCsvRow[] = [];
  let position = 0;
  const flush = async () => {
    // Once a row is bad nothing will be kept, so later batches are only checked.
    const write = target.write && result.errors.length === 0;
    const { added, duplicates } = await storeBatch(em, batch, { ...target, write, position });
    position += batch.length;
    result.imported += added;
    result.skippedDuplicates.push(...duplicates);
    batch = [];
  };

  for await (const row of readInventoryCsv(input)) {
    if ('message' in row) {
      result.errors.push(row);
      continue;
    }
    if (seen.has(row.email)) {
      result.skippedDuplicates.push({ line: row.line, email: row.email, reason: 'repeated in file' });
      continue;
    }
    seen.add(row.email);
    batch.push(row);
    if (batch.length >= BATCH_SIZE) await flush();
  }
  await flush();
  return result;
}

async function storeBatch(
  em: EntityManager,
  rows: InventoryCsvRow[],
  target: { poolId: string; box: SecretBox; write: boolean; position: number },
): Promise<{ added: number; duplicates: SkippedDuplicate[] }> {
  if (rows.length === 0) return { added: 0, duplicates: [] };
  const inPool = new Set(
    (
      await em.execute<{ email: string }[]>(
        `select lower(email) as email from inventory_items
          where pool_id = ? and lower(email) in (select json_array_elements_text(?::json))`,
        [target.poolId, JSON.stringify(rows.map((row) => row.email))],
      )
    ).map((found) => found.email),
  );
  const fresh = rows.filter((row) => !inPool.has(row.email));
  let stored = new Set(fresh.map((row) => row.email));
  if (target.write && fresh.length > 0) {
    // Reservation is FIFO by created_at (seed 000 step 3.1), so the file's order is kept a
    // microsecond apart. ON CONFLICT: an account another import added meanwhile is a
    // duplicate, not a failure.
    const inserted = await em.execute<{ email: string }[]>(
      `insert into inventory_items (pool_id, email, secret_encrypted, notes, created_at)
       select ?::uuid, email, secret, notes, now() + (? + position) * interval '1 microsecond'
         from rows from (json_to_recordset(?::json) as (email text, secret text, notes text))
              with ordinality as row(email, secret, notes, position)
       on conflict (pool_id, email) do nothing
       returning email`,
      [
        target.poolId,
        target.position,
        JSON.stringify(
          fresh.map((row) => ({ email: row.email, secret: target.box.encrypt(row.password), notes: row.notes })),
        ),
      ],
    );
    stored = new Set(inserted.map((row) => row.email));
  }
  const duplicates = rows
    .filter((row) => !stored.has(row.email))
    .map((row): SkippedDuplicate => ({ line: row.line, email: row.email, reason: 'already in pool' }));
  return { added: stored.size, duplicates };
}
